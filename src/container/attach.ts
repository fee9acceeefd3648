// Attach sessions: a client's view of a container's stdio through conmon's attach
// socket. A session opened while the container is not running waits and is connected
// by the next start between `runc create` and `runc start`, so it sees all output.
import { PassThrough, Readable, type Writable } from 'node:stream';
import { log } from '../util/logger';
import { connectAttach, decodeAttachPacket, type AttachSocket } from '../runtime';
import { DetachKeyFilter, parseDetachKeys } from '../util/detach-keys';
import type { LogRecord } from './types';

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Docker's --detach-keys text; only a TTY session watches for it, as dockerd does. */
  detachKeys?: string;
}

export interface AttachSession {
  /** Object mode LogRecords; ends when the process's stdio closes or the session detaches/closes. */
  readonly output: Readable;
  /** The client's stdin (when requested); ending it closes the process's stdin. */
  readonly stdin: Writable | undefined;
  /** Set once the client typed the detach keys. */
  readonly detached: boolean;
  close(): void;
}

/** One session; `connect` binds it to a conmon attach socket in `dir`. */
export class AttachSessionImpl implements AttachSession {
  readonly output: Readable;
  readonly stdin: Writable | undefined;
  detached = false;
  private socket: AttachSocket | undefined;
  private closed = false;
  private readonly input: Readable | undefined;

  constructor(private readonly options: AttachOptions, tty: boolean, private readonly onClose: (s: AttachSessionImpl) => void,
    private readonly onDetach: () => void) {
    this.output = new Readable({ objectMode: true, read: () => { this.socket?.resume(); } });
    if (options.stdin) {
      const buffer = new PassThrough();
      this.stdin = buffer;
      this.input = tty ? buffer.pipe(new DetachKeyFilter(parseDetachKeys(options.detachKeys), () => this.detach())) : buffer;
    }
  }

  /** Connects to the attach socket in `dir`; a failure ends the session's output. */
  connect(dir: string): void {
    if (this.closed) return;
    let socket: AttachSocket;
    try {
      socket = connectAttach(dir);
    } catch (err) {
      log.debug('attach: connect failed', { dir, error: (err as Error).message });
      this.finish();
      return;
    }
    this.socket = socket;
    socket.on('data', (packet: Buffer) => {
      const chunk = decodeAttachPacket(packet);
      if (!chunk || (chunk.stream === 'stdout' ? !this.options.stdout : !this.options.stderr)) return;
      const record: LogRecord = { stream: chunk.stream, time: '', data: chunk.data };
      if (!this.output.push(record)) socket.pause();
    });
    socket.on('end', () => this.finish());
    socket.on('error', (err: Error) => { log.debug('attach socket error', { error: err.message }); this.finish(); });
    // Without stdin the socket's write side stays open: conmon treats a shutdown as end of stdin.
    if (this.input) this.input.pipe(socket);
  }

  private detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.onDetach();
    this.close();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.output.push(null);
    this.onClose(this);
    this.input?.unpipe();
    this.socket?.destroy(); // conmon closed its side: the process's stdio is gone
  }

  close(): void {
    if (this.socket && !this.socket.destroyed) this.socket.destroy();
    if (!this.closed) {
      this.closed = true;
      this.output.push(null);
      this.onClose(this);
    }
    if (this.input) this.input.unpipe();
  }
}

/** Sessions waiting for their container to start. */
export class PendingAttaches {
  private readonly byContainer = new Map<string, Set<AttachSessionImpl>>();

  add(id: string, s: AttachSessionImpl): void {
    let set = this.byContainer.get(id);
    if (!set) this.byContainer.set(id, set = new Set());
    set.add(s);
  }

  remove(id: string, s: AttachSessionImpl): void {
    const set = this.byContainer.get(id);
    if (!set) return;
    set.delete(s);
    if (set.size === 0) this.byContainer.delete(id);
  }

  /** Connects every waiting session of `id` to the attach socket in `dir`. */
  connectAll(id: string, dir: string): void {
    const set = this.byContainer.get(id);
    if (!set) return;
    this.byContainer.delete(id);
    for (const s of set) s.connect(dir);
  }

  /** The container went away: end its waiting sessions. */
  endAll(id: string): void {
    const set = this.byContainer.get(id);
    if (!set) return;
    this.byContainer.delete(id);
    for (const s of set) s.close();
  }
}
