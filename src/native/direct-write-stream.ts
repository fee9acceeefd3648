// A Writable for a write-once file that bypasses the page cache, for the event
// loop thread: whole aligned blocks go out with O_DIRECT through Node's async fs
// (two staging buffers, so one fills while the other is written); the unaligned
// tail goes through a second, ordinary descriptor at the end. Filesystems without
// O_DIRECT (tmpfs), and devices that refuse the alignment, get ordinary writes.
import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import { addon } from './addon';

const STAGE = 1 << 20; // a multiple of every logical block size

function openDirect(file: string, mode: number): number {
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC;
  try {
    return fs.openSync(file, flags | fs.constants.O_DIRECT, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
    return fs.openSync(file, flags, mode);
  }
}

export class DirectWriteStream extends Writable {
  private fd: number;
  private readonly spare: Buffer[] = [];
  private stage: Buffer;
  private used = 0;
  private position = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private fdClosed = false;

  constructor(private readonly file: string, mode = 0o644) {
    super({ highWaterMark: STAGE });
    this.fd = openDirect(file, mode);
    this.stage = addon.alignedBuffer(STAGE);
    this.spare.push(addon.alignedBuffer(STAGE));
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.fill(chunk).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.finish().then(() => done(), done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.inFlight.catch(() => undefined).finally(() => {
      this.closeFd();
      done(err);
    });
  }

  private async fill(chunk: Buffer): Promise<void> {
    let at = 0;
    while (at < chunk.length) {
      const n = chunk.copy(this.stage, this.used, at);
      this.used += n;
      at += n;
      if (this.used === STAGE) await this.flushStage();
    }
  }

  /** Hands the full stage to the pool and continues in the other buffer (waiting if it is still being written). */
  private async flushStage(): Promise<void> {
    const full = this.stage;
    const at = this.position;
    this.position += STAGE;
    this.used = 0;
    const previous = this.inFlight;
    await previous;
    this.inFlight = this.writeStage(full, at).then(() => { this.spare.push(full); });
    this.inFlight.catch(() => undefined); // surfaced by the next flush or finish
    const next = this.spare.pop();
    if (next) { this.stage = next; return; }
    await this.inFlight;
    this.stage = this.spare.pop()!;
  }

  /** A device that refuses the alignment (EINVAL) gets the rest through an ordinary descriptor. */
  private async writeStage(buf: Buffer, at: number): Promise<void> {
    try {
      await writeAll(this.fd, buf, STAGE, at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      const buffered = fs.openSync(this.file, 'r+');
      fs.closeSync(this.fd);
      this.fd = buffered;
      await writeAll(this.fd, buf, STAGE, at);
    }
  }

  private async finish(): Promise<void> {
    await this.inFlight;
    if (this.used > 0) {
      const tail = await fs.promises.open(this.file, 'r+');
      try {
        await tail.write(this.stage, 0, this.used, this.position);
      } finally {
        await tail.close();
      }
      this.position += this.used;
      this.used = 0;
    }
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fdClosed) return;
    this.fdClosed = true;
    fs.closeSync(this.fd);
  }
}

async function writeAll(fd: number, buf: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) => {
      fs.write(fd, buf, done, length - done, position + done, (err, n) => (err ? reject(err) : resolve({ bytesWritten: n })));
    });
    done += bytesWritten;
  }
}
