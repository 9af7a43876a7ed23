/** The generated bill corpus for integration tests (built on first use, then cached in assets/generated/bills). */
import { join } from 'node:path';
import { DEFAULT_CORPUS_DIR, makeCorpus } from '../../../scripts/make-bill-corpus';
import type { CorpusManifest } from '../../../scripts/bill-corpus/truth';

export const CORPUS_DIR = DEFAULT_CORPUS_DIR;
export async function corpus(): Promise<CorpusManifest> { return makeCorpus({ log: () => {} }); }
export const corpusFile = (f: string) => join(CORPUS_DIR, f);
