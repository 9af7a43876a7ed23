/**
 * The annotators published on window, for the e2e tests and the benchmark
 * (they read draw-time probes and the document); nothing in the product reads them.
 */
import type { AgentAnnotator } from './agent/controller';
import type { CustomerAnnotator } from './customer/controller';

declare global {
  interface Window {
    __annotationAgent?: AgentAnnotator | null;
    __annotationCustomer?: CustomerAnnotator | null;
  }
}

export {};
