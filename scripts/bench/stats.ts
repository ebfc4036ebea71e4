/** Numbers for the report: percentiles over samples, and the table every workload prints into. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** One line of the report: a measure of the service next to the same measure of its baseline. */
export interface Row {
  readonly workload: string;
  readonly measure: string;
  readonly unit: string;
  readonly value: number;
  readonly baseline?: string;
  readonly baselineValue?: number;
  /** value / baselineValue; how to read it depends on the unit (higher is better for a rate, worse for a time). */
  readonly ratio?: number;
}

export function row(workload: string, measure: string, unit: string, value: number, baseline?: { name: string; value: number }): Row {
  if (!baseline) return { workload, measure, unit, value };
  return { workload, measure, unit, value, baseline: baseline.name, baselineValue: baseline.value, ratio: baseline.value === 0 ? undefined : value / baseline.value };
}

export interface WorkloadResult {
  readonly workload: string;
  readonly rows: readonly Row[];
  /** What the workload checked was really done (responses correct, events received, nothing lost). */
  readonly checks: readonly string[];
  readonly seconds: number;
}

/** Thrown when a workload's work was not really done: the report must not print a number for it. */
export class BenchCheckError extends Error {}

export function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new BenchCheckError(`check failed: ${what}`);
}

const format = (value: number | undefined, unit?: string): string => {
  if (value === undefined || Number.isNaN(value)) return '';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}${unit ? ` ${unit}` : ''}`;
};

/** A markdown table (it reads in a terminal and pastes into the README as is). */
export function table(rows: readonly Row[]): string {
  const header = ['workload', 'measure', 'value', 'baseline', 'baseline value', 'ratio'];
  const lines = rows.map((r) => [
    r.workload,
    r.measure,
    format(r.value, r.unit),
    r.baseline ?? '',
    format(r.baselineValue, r.baseline ? r.unit : undefined),
    r.ratio === undefined ? '' : `${format(r.ratio)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [render(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}
