import { defineMessages } from '../i18n/index';

/** Strings the workstation shell shows before any capability panel is up. */
export const t = defineMessages(
  'app',
  { boot_unavailable: 'Workstation unavailable' },
  { boot_unavailable: 'ワークステーションを利用できません' },
);
