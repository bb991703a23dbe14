/**
 * `npm test`: type-check and lint, build the web client if needed, then run every test file with
 * Node's test runner, several files at a time (each file is its own process). Arguments narrow the
 * run: `npm test -- src/config` runs the files under that path; `--no-check` skips type-check/lint.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const skipCheck = args.includes('--no-check');
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (entry.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

function run(command: string, commandArgs: string[]): number {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

if (!skipCheck) {
  console.log('> npm run check (type-check + lint)');
  if (run('npm', ['run', 'check', '--silent']) !== 0) process.exit(1);
}
if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
  console.log('> building the web client');
  if (run('npm', ['run', 'build:web', '--silent']) !== 0) process.exit(1);
}

const files = [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))]
  .filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Most tests wait on sockets, databases and browsers rather than the CPU, so run more files than cores.
const concurrency = Number(process.env['PARLEY_TEST_CONCURRENCY'] ?? Math.max(4, availableParallelism() * 2));
console.log(`> node --test (${files.length} files, ${concurrency} at a time)`);
process.exit(
  run(process.execPath, [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=180000',
    '--test-reporter=spec',
    ...files,
  ]),
);
