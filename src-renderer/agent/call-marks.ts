/**
 * Milestones of the current call for the benchmark and diagnostics. Epoch milliseconds
 * (timeOrigin + now) so that marks taken on the agent's and the customer's pages compare.
 */
export type CallMarks = Record<string, number>;

export const epochNow = () => performance.timeOrigin + performance.now();
