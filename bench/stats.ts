// Sample statistics and the printed report. A benchmark only reports; it never fails.

export interface Summary { n: number; median: number; p10: number; p90: number; min: number; max: number }

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

export function fmtMiB(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : '-';
}

export function fmtRatio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-';
}

/** Collects result rows and prints them as an aligned table. */
export class Report {
  private readonly rows: string[][] = [];
  private readonly notes: string[] = [];
  readonly results = new Map<string, Summary>();
  /** Single figures (bytes, counts) that the ratio summary refers to. */
  readonly metrics = new Map<string, number>();

  timing(label: string, samples: number[]): Summary {
    const s = summarize(samples);
    this.results.set(label, s);
    this.rows.push([label, fmtMs(s.median), fmtMs(s.p10), fmtMs(s.p90), String(s.n)]);
    return s;
  }

  value(label: string, value: string): void {
    this.rows.push([label, value, '', '', '']);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  median(label: string): number {
    return this.results.get(label)?.median ?? NaN;
  }

  print(out: NodeJS.WritableStream = process.stdout): void {
    const header = ['benchmark', 'median', 'p10', 'p90', 'n'];
    const all = [header, ...this.rows];
    const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
    out.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
    for (const r of this.rows) out.write(`${line(r)}\n`);
    if (this.notes.length) out.write(`\n${this.notes.join('\n')}\n`);
  }
}
