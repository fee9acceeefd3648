// Docker's progress messages: per-layer status lines keyed by a 12-hex ID and
// byte counters rendered as progress bars by the CLI. Counters are throttled to
// one message per layer every 100 ms, as dockerd's progress reader does.
import { stripDigestAlgo } from '../util/ids';
import type { ProgressMessage, ProgressSink } from './types';

const THROTTLE_MS = 100;
const BAR_WIDTH = 50;

export function layerId(digest: string): string {
  return stripDigestAlgo(digest).slice(0, 12);
}

function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v.toFixed(v < 10 && i > 0 ? 2 : v < 100 && i > 0 ? 1 : 0).replace(/\.0+$/, '')}${units[i]}`;
}

/** The "progress" text of a JSON message: "[====>      ]  1.2MB/3.4MB". */
export function progressBar(current: number, total: number): string {
  if (total <= 0) return humanSize(current);
  const ratio = Math.min(1, current / total);
  const filled = Math.floor(ratio * BAR_WIDTH);
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (filled === BAR_WIDTH ? '=' : '>') : '') + ' '.repeat(BAR_WIDTH - filled);
  return `[${bar}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

export class LayerProgress {
  private readonly last = new Map<string, number>();

  constructor(private readonly sink: ProgressSink) {}

  status(id: string | undefined, status: string): void {
    const msg: ProgressMessage = id === undefined ? { status } : { status, progressDetail: {}, id };
    this.sink(msg);
  }

  /** A byte counter; `force` sends it even within the throttle window (e.g. the last one). */
  bytes(id: string, status: string, current: number, total: number, force = false): void {
    const now = Date.now();
    const key = `${id}\0${status}`;
    if (!force && now - (this.last.get(key) ?? 0) < THROTTLE_MS) return;
    this.last.set(key, now);
    this.sink({ status, progressDetail: { current, total }, progress: progressBar(current, total), id });
  }

  aux(value: unknown): void {
    this.sink({ progressDetail: {}, aux: value });
  }
}
