/**
 * `npm run bench -- <name>`: runs `bench/<name>.bench.ts` and prints its table. Benchmarks are
 * never part of `npm test`; their figures are recorded in docs/performance.md.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from './lib/benchmark.ts';
import { formatReport } from './lib/table.ts';

function available(): string[] {
  return readdirSync(import.meta.dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
}

function isBenchmark(value: unknown): value is Benchmark {
  return (
    typeof value === 'object' &&
    value !== null &&
    'run' in value &&
    typeof value.run === 'function' &&
    'description' in value &&
    typeof value.description === 'string'
  );
}

async function main(): Promise<number> {
  const name = process.argv[2];
  // The name becomes a path: only plain names, so `bench -- ../x` cannot load arbitrary files.
  if (name === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    console.error(`Usage: npm run bench -- <name>\nAvailable: ${available().join(', ')}`);
    return 2;
  }
  const file = join(import.meta.dirname, `${name}.bench.ts`);
  if (!existsSync(file)) {
    console.error(`No benchmark "${name}". Available: ${available().join(', ')}`);
    return 2;
  }
  const mod: unknown = await import(pathToFileURL(file).href);
  const bench: unknown =
    typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
  if (!isBenchmark(bench)) {
    console.error(`${file} must export a default Benchmark ({ description, run })`);
    return 2;
  }
  console.log(`Running benchmark "${name}": ${bench.description}\n`);
  const report = await bench.run();
  console.log(`\n${formatReport(report)}\n`);
  return 0;
}

process.exitCode = await main();
