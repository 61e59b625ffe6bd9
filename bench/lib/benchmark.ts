/** The shape every benchmark file exports. */
import type { BenchResult } from './report.js';

export type Outcome = Pick<BenchResult, 'method' | 'rows' | 'notes' | 'misses'>;

export interface Benchmark {
  /** The name to run it by: `npm run bench -- <name>`. */
  name: string;
  title: string;
  run(): Promise<Outcome>;
}
