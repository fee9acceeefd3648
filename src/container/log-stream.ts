// Readable (object mode, LogRecord) over a container's k8s-file log: a one-shot read,
// or a follow that tails the file through inotify until `done` settles and the file
// is drained. Attach streams start at the current end of the file.
import { promises as fsp, statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { rfc3339ToSeconds } from '../runtime';
import { LineSplitter, PartialJoiner, parseLogLine } from './log-file';
import type { LogRecord } from './types';

export interface LogStreamOptions {
  file: string;
  startAtEnd: boolean; // attach: only output written from now on
  join: boolean; // join partial lines (logs) or pass chunks through as they come (attach)
  stdout: boolean;
  stderr: boolean;
  since?: number;
  until?: number;
  tail?: number;
  follow: boolean;
  done?: Promise<unknown>; // follow ends once this settles and the file is drained
  signal?: AbortSignal;
}

const READ_SIZE = 64 * 1024;

function fileSize(file: string): number {
  try { return statSync(file).size; } catch { return 0; }
}

export function openLogStream(o: LogStreamOptions): Readable {
  let offset = o.startAtEnd ? fileSize(o.file) : 0;
  const splitter = new LineSplitter();
  const joiner = new PartialJoiner();
  let dirty = false;
  let finished = false;
  let closed = false;
  let wake: (() => void) | undefined;
  let resumeRead: (() => void) | undefined;
  let watcher: FSWatcher | undefined;

  const notify = () => {
    dirty = true;
    const w = wake; wake = undefined; w?.();
  };
  const cleanup = () => {
    watcher?.close();
    watcher = undefined;
    o.signal?.removeEventListener('abort', onAbort);
  };
  const onAbort = () => { closed = true; notify(); const r = resumeRead; resumeRead = undefined; r?.(); };

  const out = new Readable({
    objectMode: true,
    read() { const r = resumeRead; resumeRead = undefined; r?.(); },
    destroy(err, cb) { closed = true; cleanup(); notify(); const r = resumeRead; resumeRead = undefined; r?.(); cb(err); },
  });

  const wanted = (rec: LogRecord): boolean => {
    if (rec.stream === 'stdout' ? !o.stdout : !o.stderr) return false;
    if (o.since !== undefined && o.since > 0 && rfc3339ToSeconds(rec.time) < o.since) return false;
    return true;
  };
  const pastUntil = (rec: LogRecord) => o.until !== undefined && o.until > 0 && rfc3339ToSeconds(rec.time) > o.until;

  /** Pushes a record, honouring backpressure; false once the stream must end. */
  const emit = async (rec: LogRecord): Promise<boolean> => {
    if (closed) return false;
    if (pastUntil(rec)) return false;
    if (!wanted(rec)) return true;
    if (!out.push(rec)) await new Promise<void>((r) => { resumeRead = r; });
    return !closed;
  };

  const readNew = async (): Promise<LogRecord[]> => {
    const records: LogRecord[] = [];
    let fh: fsp.FileHandle;
    try { fh = await fsp.open(o.file, 'r'); } catch { return records; }
    try {
      const { size } = await fh.stat();
      if (size < offset) { offset = 0; splitter.reset(); } // truncated by conmon's log rotation
      const buf = Buffer.allocUnsafe(READ_SIZE);
      while (offset < size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(READ_SIZE, size - offset), offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        for (const line of splitter.push(buf.subarray(0, bytesRead))) {
          const chunk = parseLogLine(line);
          if (!chunk) continue;
          if (!o.join) { records.push({ stream: chunk.stream, time: chunk.time, data: chunk.data }); continue; }
          const rec = joiner.add(chunk);
          if (rec) records.push(rec);
        }
        if (o.tail !== undefined && records.length > o.tail * 2 + 1024) records.splice(0, records.length - o.tail);
      }
    } finally {
      await fh.close();
    }
    return records;
  };

  const run = async () => {
    if (o.follow) {
      const base = path.basename(o.file);
      try {
        watcher = watch(path.dirname(o.file), { persistent: false }, (_e, name) => { if (!name || name === base) notify(); });
        watcher.on('error', () => { finished = true; notify(); });
      } catch { finished = true; }
      o.done?.then(() => { finished = true; notify(); }, () => { finished = true; notify(); });
    }
    let initial = await readNew();
    // A one-shot read ends here: an unfinished last line counts as a line (for tail too).
    if (!o.follow) initial.push(...joiner.flush());
    if (o.tail !== undefined) initial = o.tail <= 0 ? [] : initial.slice(-o.tail);
    for (const rec of initial) if (!(await emit(rec))) return;
    while (o.follow && !closed) {
      if (!dirty && !finished) await new Promise<void>((r) => { wake = r; });
      const last = finished;
      dirty = false;
      for (const rec of await readNew()) if (!(await emit(rec))) return;
      if (last) break;
    }
    if (!closed) for (const rec of joiner.flush()) if (!(await emit(rec))) return;
  };

  if (o.signal?.aborted) closed = true;
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  run().then(
    () => { cleanup(); if (!out.destroyed) out.push(null); },
    (err: Error) => { cleanup(); out.destroy(err); },
  );
  return out;
}
