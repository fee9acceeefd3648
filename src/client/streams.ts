// Decoders for the Engine API's streaming bodies: Docker's multiplexed stdio frames
// (8-byte header: stream, 3 zero bytes, big-endian length) and JSON-lines messages.
import type { Readable, Writable } from 'node:stream';

export type StdStream = 0 | 1 | 2; // stdin, stdout, stderr

/** Incremental frame decoder: push() bytes, get complete frames back. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ stream: StdStream; data: Buffer }> {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Array<{ stream: StdStream; data: Buffer }> = [];
    let off = 0;
    while (this.pending.length - off >= 8) {
      const kind = this.pending[off];
      const size = this.pending.readUInt32BE(off + 4);
      if (this.pending.length - off - 8 < size) break;
      if (kind > 2) throw new Error(`Unrecognized input header: ${kind}`);
      frames.push({ stream: kind as StdStream, data: this.pending.subarray(off + 8, off + 8 + size) });
      off += 8 + size;
    }
    this.pending = this.pending.subarray(off);
    return frames;
  }

  /** Bytes of an incomplete frame left over (non-zero at EOF means a truncated stream). */
  get buffered(): number { return this.pending.length; }
}

/** Encode one frame (used by tests and by anything that fakes a daemon). */
export function encodeFrame(stream: StdStream, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function writeWithBackpressure(src: Readable, dst: Writable, data: Buffer): void {
  if (!dst.write(data)) {
    src.pause();
    dst.once('drain', () => src.resume());
  }
}

/**
 * Copy a multiplexed stream to stdout/stderr writers (or the raw bytes to stdout
 * when the container has a TTY). Resolves at end of stream.
 */
export function demuxStream(src: Readable, stdout: Writable | null, stderr: Writable | null, raw = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    src.on('data', (chunk: Buffer) => {
      if (raw) {
        if (stdout) writeWithBackpressure(src, stdout, chunk);
        return;
      }
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        src.destroy();
        reject(err);
        return;
      }
      for (const f of frames) {
        const dst = f.stream === 2 ? stderr : stdout;
        if (dst) writeWithBackpressure(src, dst, f.data);
      }
    });
    src.once('end', () => resolve());
    src.once('close', () => resolve());
    src.once('error', (err) => {
      // The daemon closing an attach connection abruptly is the normal end of output.
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') resolve();
      else reject(err);
    });
  });
}

/** Yield each non-empty line of a newline-delimited stream (JSON text, unparsed). */
export async function* textLines(src: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let buffered = '';
  for await (const chunk of src) {
    buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield line;
    }
  }
  const rest = buffered.trim();
  if (rest) yield rest;
}

/** Yield each JSON value of a newline-delimited JSON stream. */
export async function* jsonLines<T>(src: AsyncIterable<Buffer | string>): AsyncGenerator<T> {
  for await (const line of textLines(src)) yield JSON.parse(line) as T;
}
