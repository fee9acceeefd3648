// Reads a container's log across its rotated files, oldest first, holding each file open
// so a rotation (a rename) never takes a file away mid-read. When the file being read is
// no longer the newest, it is complete (conmon only writes to the newest), so the reader
// drains it and moves on to the next: no line is lost or read twice across a rotation.
import { closeSync, fstatSync, read } from 'node:fs';
import { promisify } from 'node:util';
import { LineSplitter, PartialJoiner, parseLogLine } from './log-file';
import { identityAt, onBeforeRotate, openLogFiles, openNewerFiles, type FileIdentity, type OpenLogFile } from './log-files';
import type { LogRecord } from './types';

const readAsync = promisify(read);

/** Receives records read; false stops the reading. */
export type Sink = (records: LogRecord[]) => boolean | Promise<boolean>;
const READ_SIZE = 256 * 1024;
const NEWLINE = 0x0a;

export class LogSetReader {
  private files: OpenLogFile[];
  private offset = 0;
  private seen = new Set<FileIdentity>();
  private readonly splitter = new LineSplitter();
  private readonly joiner = new PartialJoiner();

  private readonly unregister: () => void;

  constructor(private readonly logPath: string) {
    this.files = openLogFiles(logPath);
    for (const f of this.files) this.seen.add(f.id);
    // A reader that falls behind holds on to every file before a rotation can drop it.
    this.unregister = onBeforeRotate(logPath, () => this.refresh());
  }

  /**
   * Moves the start back from the end so that `lines` file lines follow (0: the very end).
   * True when that reached the start of the oldest file.
   */
  async seekLinesFromEnd(lines: number): Promise<boolean> {
    if (lines <= 0) {
      const last = this.files.length - 1;
      this.offset = last >= 0 ? fstatSync(this.files[last].fd).size : 0;
      this.drop(Math.max(last, 0));
      return false;
    }
    let need = lines;
    for (let i = this.files.length - 1; i >= 0; i--) {
      const { offset, found } = await lineStartFromEnd(this.files[i].fd, need);
      if (found >= need || i === 0) {
        this.offset = offset;
        this.drop(i);
        return found < need || (i === 0 && offset === 0);
      }
      need -= found;
    }
    return true;
  }

  /**
   * Reads everything written so far, passing complete (joined) records to `onBatch` one
   * read at a time; stops early (false) when `onBatch` returns false.
   */
  async readAvailable(onBatch: Sink): Promise<boolean> {
    for (;;) {
      const current = this.files[0];
      if (current && !(await this.readToEnd(current, onBatch))) return false;
      if (this.files.length <= 1) {
        this.refresh();
        if (this.files.length <= 1) return true;
        // A newer file appeared after our last read: the current one may have grown before conmon switched.
        if (current && !(await this.readToEnd(current, onBatch))) return false;
      }
      if (this.files.length > 1) this.advance();
    }
  }

  /** Records of an unfinished last line (the output ended without a newline). */
  flush(): LogRecord[] {
    return this.joiner.flush();
  }

  close(): void {
    this.unregister();
    for (const f of this.files) closeSync(f.fd);
    this.files = [];
  }

  private async readToEnd(f: OpenLogFile, onBatch: Sink): Promise<boolean> {
    for (;;) {
      // A fresh buffer per read: records point into it (no copy per line).
      const buf = Buffer.allocUnsafe(READ_SIZE);
      const { bytesRead } = await readAsync(f.fd, buf, 0, READ_SIZE, this.offset);
      if (bytesRead === 0) return true;
      this.offset += bytesRead;
      const batch: LogRecord[] = [];
      for (const line of this.splitter.push(buf.subarray(0, bytesRead))) {
        const chunk = parseLogLine(line);
        if (!chunk) continue;
        const rec = this.joiner.add(chunk);
        if (rec) batch.push(rec);
      }
      if (batch.length && !(await onBatch(batch))) return false;
    }
  }

  /** Picks up files newer than the newest one held (after a rotation, or conmon's first write). */
  private refresh(): void {
    const newest = this.files[this.files.length - 1];
    if (newest && identityAt(this.logPath) === newest.id) return;
    if (!newest) {
      this.files = openLogFiles(this.logPath);
      for (const f of this.files) this.seen.add(f.id);
      return;
    }
    const { added, present } = openNewerFiles(this.logPath, newest.id, this.seen);
    this.files.push(...added);
    // Only files that still exist (or are held) can come back: forget the rest.
    this.seen = new Set([...present, ...this.files.map((f) => f.id)]);
  }

  private advance(): void {
    const done = this.files.shift();
    if (done) closeSync(done.fd);
    this.offset = 0;
    this.splitter.reset(); // conmon writes whole lines: nothing carries over between files
  }

  private drop(keepFrom: number): void {
    for (const f of this.files.slice(0, keepFrom)) closeSync(f.fd);
    this.files = this.files.slice(keepFrom);
  }
}

/** Offset where the last `lines` complete lines of a file begin (0 and fewer when the file is shorter). */
async function lineStartFromEnd(fd: number, lines: number): Promise<{ offset: number; found: number }> {
  let pos = fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(READ_SIZE);
  let found = -1; // the newline ending the last line does not start a line
  let first = true;
  while (pos > 0) {
    const len = Math.min(READ_SIZE, pos);
    pos -= len;
    const { bytesRead } = await readAsync(fd, buf, 0, len, pos);
    let end = bytesRead;
    if (first) {
      first = false;
      if (buf[end - 1] !== NEWLINE) found = 0; // an unfinished last line counts as one
    }
    for (;;) {
      const nl = buf.lastIndexOf(NEWLINE, end - 1);
      if (nl < 0) break;
      found++;
      if (found >= lines && lines > 0) return { offset: pos + nl + 1, found };
      end = nl;
    }
  }
  return { offset: 0, found: Math.max(found + 1, 0) };
}
