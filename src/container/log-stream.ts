// Readable (object mode, LogRecord) over a container's log files: a one-shot read, or a
// follow that wakes on inotify events in the container dir until `done` settles (the
// container exited) and everything written up to then is drained.
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { rfc3339ToSeconds } from '../runtime';
import { LogSetReader } from './log-set-reader';
import type { LogRecord } from './types';

export interface LogStreamOptions {
  file: string; // container.log; rotated files are <file>.1, <file>.2, ...
  stdout: boolean;
  stderr: boolean;
  since?: number; // unix seconds, fractional
  until?: number;
  tail?: number;
  follow: boolean;
  done?: Promise<unknown>; // follow ends once this settles and the files are drained
  signal?: AbortSignal;
  attrs?: string; // set on every record (logs --details)
}

/** Records kept while reading towards the end for a tail, before trimming. */
const TAIL_SLACK = 1024;

export function openLogStream(o: LogStreamOptions): Readable {
  let reader = new LogSetReader(o.file);
  let dirty = false;
  let finished = false;
  let closed = false;
  let wake: (() => void) | undefined;
  let resumeRead: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  // As Docker: once one record at or after `since` passed, later ones are not checked
  // (timestamps of the two streams need not be monotonic).
  let sincePassed = o.since === undefined || o.since <= 0;

  const notify = () => {
    dirty = true;
    const w = wake; wake = undefined; w?.();
  };
  const resume = () => { const r = resumeRead; resumeRead = undefined; r?.(); };
  const cleanup = () => {
    watcher?.close();
    watcher = undefined;
    reader.close();
    o.signal?.removeEventListener('abort', onAbort);
  };
  const onAbort = () => { closed = true; notify(); resume(); };

  const out = new Readable({
    objectMode: true,
    highWaterMark: 1024,
    read() { resume(); },
    destroy(err, cb) { closed = true; notify(); resume(); cb(err); },
  });

  const pastUntil = (rec: LogRecord) => o.until !== undefined && o.until > 0 && rfc3339ToSeconds(rec.time) > o.until;
  const wanted = (rec: LogRecord): boolean => {
    if (!sincePassed) {
      if (rfc3339ToSeconds(rec.time) < (o.since as number)) return false;
      sincePassed = true;
    }
    return rec.stream === 'stdout' ? o.stdout : o.stderr;
  };

  /** Pushes records, honouring backpressure; false once the stream must end. */
  const emitAll = async (records: LogRecord[]): Promise<boolean> => {
    for (const rec of records) {
      if (closed || pastUntil(rec)) return false;
      if (!wanted(rec)) continue;
      if (o.attrs !== undefined) rec.attrs = o.attrs;
      if (!out.push(rec)) await new Promise<void>((r) => { resumeRead = r; });
    }
    return !closed;
  };

  /** Everything readable now, kept in memory (tail: bounded to about `keepLast` records). */
  const readAll = async (keepLast: number): Promise<LogRecord[]> => {
    const records: LogRecord[] = [];
    await reader.readAvailable((batch) => {
      records.push(...batch);
      if (records.length > keepLast + TAIL_SLACK) records.splice(0, records.length - keepLast);
      return true;
    });
    return records;
  };

  const run = async () => {
    if (o.follow) {
      const base = path.basename(o.file);
      try {
        // Every file of the set: conmon writes to container.log.1 until it reopens after a rotation.
        watcher = watch(path.dirname(o.file), { persistent: false }, (_e, name) => { if (!name || name.startsWith(base)) notify(); });
        watcher.on('error', () => { finished = true; notify(); });
      } catch { finished = true; }
      o.done?.then(() => { finished = true; notify(); }, () => { finished = true; notify(); });
    }
    if (o.tail !== undefined && o.tail <= 0) {
      await reader.seekLinesFromEnd(0);
    } else if (o.tail !== undefined) {
      let initial: LogRecord[] = [];
      // Start enough file lines back for `tail` records; lines ending in a partial chunk
      // (P) join with the next, so go further back when that was not enough.
      for (let lines = o.tail + 1; ; lines *= 2) {
        const fromStart = await reader.seekLinesFromEnd(lines);
        initial = await readAll(o.tail);
        // A one-shot read ends here: an unfinished last line counts as a line (for tail too).
        if (!o.follow) initial.push(...reader.flush());
        if (fromStart || initial.length > o.tail) break;
        reader.close();
        reader = new LogSetReader(o.file);
      }
      if (!(await emitAll(initial.slice(-o.tail)))) return;
    } else if (!(await reader.readAvailable(emitAll))) {
      return;
    }
    while (o.follow && !closed) {
      if (!dirty && !finished) await new Promise<void>((r) => { wake = r; });
      const last = finished;
      dirty = false;
      if (!(await reader.readAvailable(emitAll))) return;
      if (last) break;
    }
    if (!closed) await emitAll(reader.flush());
  };

  if (o.signal?.aborted) closed = true;
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  run().then(
    () => { cleanup(); if (!out.destroyed) out.push(null); },
    (err: Error) => { cleanup(); out.destroy(err); },
  );
  return out;
}
