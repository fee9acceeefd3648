// conmon's k8s-file log format: one line per chunk,
// "<RFC3339Nano> stdout|stderr F|P <bytes>"; P marks a partial line whose rest follows.
import type { LogRecord } from './types';

export interface LogChunk extends LogRecord { partial: boolean }

const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * One log line, with or without its trailing newline; undefined when malformed. The data
 * of a complete (F) line shares the line's memory when the newline is there.
 */
export function parseLogLine(raw: Buffer): LogChunk | undefined {
  const withNewline = raw.length > 0 && raw[raw.length - 1] === NEWLINE;
  const line = withNewline ? raw.subarray(0, raw.length - 1) : raw;
  const s1 = line.indexOf(SPACE);
  if (s1 <= 0) return undefined;
  const s2 = line.indexOf(SPACE, s1 + 1);
  if (s2 < 0) return undefined;
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  let s3 = line.indexOf(SPACE, s2 + 1);
  if (s3 < 0) s3 = line.length;
  // The tag is "F" or "P", possibly followed by ",attrs".
  const partial = line[s2 + 1] === 0x50 && (s2 + 2 === s3 || line[s2 + 2] === 0x2c);
  const start = Math.min(s3 + 1, line.length);
  let data: Buffer;
  if (partial) data = line.subarray(start);
  else if (withNewline) data = raw.subarray(start);
  else data = Buffer.concat([line.subarray(start), Buffer.from('\n')]);
  return { time: line.toString('latin1', 0, s1), stream, partial, data };
}

/**
 * Splits appended file bytes into complete lines (each with its newline, sharing the
 * chunk's memory), keeping an unfinished tail for later.
 */
export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const lines: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl < 0) break;
      lines.push(buf.subarray(start, nl + 1));
      start = nl + 1;
    }
    this.rest = Buffer.from(buf.subarray(start));
    return lines;
  }

  reset(): void {
    this.rest = Buffer.alloc(0);
  }
}

/** Joins P chunks with the chunk that completes them (per stream), as `docker logs` shows lines. */
export class PartialJoiner {
  private readonly pending = new Map<string, LogChunk[]>();

  add(chunk: LogChunk): LogRecord | undefined {
    const list = this.pending.get(chunk.stream) ?? [];
    if (chunk.partial) {
      list.push(chunk);
      this.pending.set(chunk.stream, list);
      return undefined;
    }
    this.pending.delete(chunk.stream);
    if (list.length === 0) return { stream: chunk.stream, time: chunk.time, data: chunk.data };
    return { stream: chunk.stream, time: list[0].time, data: Buffer.concat([...list.map((c) => c.data), chunk.data]) };
  }

  /** What is still pending (the output ended without a newline). */
  flush(): LogRecord[] {
    const out: LogRecord[] = [];
    for (const [stream, list] of this.pending) {
      if (list.length) out.push({ stream: stream as LogRecord['stream'], time: list[0].time, data: Buffer.concat(list.map((c) => c.data)) });
    }
    this.pending.clear();
    return out.sort((a, b) => (a.time < b.time ? -1 : 1));
  }
}
