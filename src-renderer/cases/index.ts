/** The cases capability for the rest of the renderer. */
export { CasePanel, type ScreenPopSource } from './CasePanel';
export { popByAni, openCase, getActiveCaseId, useCases, casesStore } from './store';
