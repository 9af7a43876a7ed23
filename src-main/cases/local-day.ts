/** The workstation's local calendar day around `at`, as [start, end) in ms (DST-safe: built from dates, not 24 h). */
export function localDay(at: number): { start: number; end: number } {
  const d = new Date(at);
  return { start: new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(), end: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() };
}
