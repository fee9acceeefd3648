// A Duplex over a SOCK_SEQPACKET unix socket (conmon's attach socket), driven by
// the addon's uv_poll watcher. Each readable chunk is exactly one packet (the
// readable side is in object mode so packets are never merged); each write is
// sent as packets of at most MAX_PACKET bytes.
import { closeSync } from 'node:fs';
import { Duplex } from 'node:stream';
import { addon, type SeqpacketEvent, type SeqpacketHandle } from './addon';

/** conmon reads stdin packets into a fixed buffer; larger packets would be truncated. */
export const MAX_PACKET = 8192;

export class SeqpacketSocket extends Duplex {
  private handle: SeqpacketHandle | null;
  private pendingWrite: { data: Buffer; callback: (err?: Error | null) => void } | null = null;

  /** Wraps a connected SEQPACKET fd; the socket owns the fd from now on. */
  constructor(fd: number) {
    super({ readableObjectMode: true, allowHalfOpen: true });
    this.handle = addon.seqpacketOpen(fd, (event, value) => this.onEvent(event, value));
  }

  override _read(): void {
    if (this.handle) addon.seqpacketSetReading(this.handle, true);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.pendingWrite = { data: chunk, callback };
    this.flush();
  }

  override _final(callback: (err?: Error | null) => void): void {
    try {
      if (this.handle) addon.seqpacketShutdown(this.handle);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (this.handle) addon.seqpacketClose(this.handle);
    this.handle = null;
    const pending = this.pendingWrite;
    this.pendingWrite = null;
    pending?.callback(err ?? new Error('socket closed'));
    callback(err);
  }

  /** Sends as much of the pending write as the socket takes, then waits for room. */
  private flush(): void {
    const pending = this.pendingWrite;
    if (!pending || !this.handle) return;
    try {
      while (pending.data.length > 0) {
        const packet = pending.data.subarray(0, MAX_PACKET);
        const sent = addon.seqpacketSend(this.handle, packet);
        if (sent < 0) {
          addon.seqpacketWaitWritable(this.handle);
          return;
        }
        pending.data = pending.data.subarray(sent);
      }
    } catch (err) {
      this.pendingWrite = null;
      pending.callback(err as Error);
      return;
    }
    this.pendingWrite = null;
    pending.callback();
  }

  private onEvent(event: SeqpacketEvent, value: unknown): void {
    switch (event) {
      case 'data':
        if (!this.push(value as Buffer) && this.handle) addon.seqpacketSetReading(this.handle, false);
        break;
      case 'end':
        this.push(null);
        break;
      case 'writable':
        this.flush();
        break;
      case 'error':
        this.destroy(value as Error);
        break;
    }
  }
}

/**
 * Connects to a SEQPACKET socket (paths longer than sun_path are reached
 * through /proc/self/fd) and returns it as a Duplex.
 */
export function connectSeqpacketSocket(path: string): SeqpacketSocket {
  const fd = addon.connectSeqpacket(path);
  try {
    return new SeqpacketSocket(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
