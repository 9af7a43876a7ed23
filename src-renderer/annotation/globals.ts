/**
 * The annotators published on window, for the e2e tests and the benchmark
 * (they read draw-time probes and the document); nothing in the product reads them.
 */
import type { AgentAnnotator } from './agent/agent-annotator';
import type { CustomerAnnotator } from './customer/customer-annotator';

declare global {
  interface Window {
    __annotationAgent?: AgentAnnotator | null;
    __annotationCustomer?: CustomerAnnotator | null;
  }
}

export {};
