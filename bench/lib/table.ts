/** Renders a benchmark report as a plain-text table (also valid Markdown) for the terminal and docs. */
import type { BenchmarkReport, Measurement } from './benchmark.ts';

function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${fmt(a / b, 2)}×`;
}

function render(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function row(m: Measurement): string[] {
  return [m.target, fmt(m.requestsPerSec, 0), fmt(m.p50Ms, 2), fmt(m.p99Ms, 2), String(m.errors)];
}

/** The measurements table followed by the subject-to-baseline ratios. */
export function formatReport(report: BenchmarkReport): string {
  const { subject, baselines } = report;
  const measurements = render(
    ['target', 'requests/s', 'p50 ms', 'p99 ms', 'errors'],
    [subject, ...baselines].map(row),
  );
  const ratios = render(
    [`${subject.target} ÷ baseline`, 'requests/s', 'p50', 'p99'],
    baselines.map((b) => [
      `vs ${b.target}`,
      ratio(subject.requestsPerSec, b.requestsPerSec),
      ratio(subject.p50Ms, b.p50Ms),
      ratio(subject.p99Ms, b.p99Ms),
    ]),
  );
  return [`## ${report.title}`, '', measurements, '', ratios, '', ...report.notes.map((n) => `- ${n}`)].join(
    '\n',
  );
}
