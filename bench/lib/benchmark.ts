/** The contract between `bench/run.ts` and each `bench/<name>.bench.ts`. */

/** One measured target: a row of the results table. */
export interface Measurement {
  readonly target: string;
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts and non-2xx responses: anything but a clean answer. */
  readonly errors: number;
}

/** What a benchmark hands back to the runner to print. */
export interface BenchmarkReport {
  readonly title: string;
  /** The subject first, then its baselines, all measured in the same run. */
  readonly subject: Measurement;
  readonly baselines: readonly Measurement[];
  /** Free-form lines printed under the table (load settings, machine). */
  readonly notes: readonly string[];
}

/** A benchmark module's default export. */
export interface Benchmark {
  readonly description: string;
  run(): Promise<BenchmarkReport>;
}
