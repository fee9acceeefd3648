// Detects the compression of a layer by its magic bytes and returns the
// uncompressed bytes: gzip (node:zlib on the event loop thread, the addon's zlib
// in worker threads) and zstd (the addon's libzstd). bzip2 and xz, which Docker
// also reads, have no decoder here: they fail with a clear error instead of a
// tar checksum error.
import { PassThrough, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidArgumentError, errorMessage } from '../errors';
import { Gunzip, ZstdDecoder, type StreamDecoder } from '../native';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Bytes needed to tell the formats apart (the longest magic). */
const HEAD_BYTES = 6;
const UNSUPPORTED: Array<[string, number[]]> = [
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
];

function startsWith(head: Buffer, magic: number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

function unsupportedCompression(head: Buffer): string | undefined {
  return UNSUPPORTED.find(([, magic]) => startsWith(head, magic))?.[0];
}

function unsupportedError(format: string): InvalidArgumentError {
  return new InvalidArgumentError(`unsupported compression format: ${format}`);
}

/** True for the errors a decoder raises on bad input (node:zlib's Z_* codes, the addon's zstd). */
export function isDecodeError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code === 'ERR_ZSTD');
}

/** A Transform around one of the addon's synchronous decoders. */
function decoderStream(decoder: StreamDecoder): Transform {
  const pushAll = (t: Transform, chunks: Buffer[]) => { for (const c of chunks) t.push(c); };
  return new Transform({
    readableHighWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      try { pushAll(this, decoder.push(chunk)); done(); } catch (err) { done(err as Error); }
    },
    flush(done) {
      try { decoder.end(); done(); } catch (err) { done(err as Error); }
    },
  });
}

export function maybeDecompress(source: Readable): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let head: Buffer = Buffer.alloc(0);
  let decided = false;
  const forwardError = (err: Error) => out.destroy(err);
  const decide = () => {
    decided = true;
    source.off('data', onData);
    source.off('end', onEnd);
    const other = unsupportedCompression(head);
    if (other) {
      source.destroy();
      out.destroy(unsupportedError(other));
      return;
    }
    const decoder = startsWith(head, GZIP_MAGIC) ? createGunzip({ chunkSize: 256 << 10 }) // 16 KiB default: 4x slower here
      : startsWith(head, ZSTD_MAGIC) ? decoderStream(new ZstdDecoder())
        : undefined;
    if (decoder) {
      decoder.on('error', forwardError);
      decoder.pipe(out);
      decoder.write(head);
      source.pipe(decoder);
    } else {
      out.write(head);
      source.pipe(out);
    }
    source.resume();
  };
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    if (head.length >= HEAD_BYTES) { source.pause(); decide(); }
  };
  const onEnd = () => { if (!decided) { decide(); } };
  source.on('data', onData);
  source.on('end', onEnd);
  source.on('error', forwardError);
  return out;
}

/**
 * maybeDecompress for a thread that owns its event loop (layer workers): chunks
 * in, uncompressed chunks out, synchronously, decoded in place by the addon.
 * Throws InvalidArgumentError for unsupported compressions and bad or truncated input.
 */
export class InlineDecompressor {
  private head: Buffer | null = Buffer.alloc(0);
  private decoder: StreamDecoder | null = null;

  push(chunk: Buffer): Buffer[] {
    return badInputAsInvalid(() => {
      if (this.head === null) return this.decoder ? this.decoder.push(chunk) : [chunk];
      this.head = Buffer.concat([this.head, chunk]);
      return this.head.length >= HEAD_BYTES ? this.decide() : [];
    });
  }

  /** True once the input is known to be compressed: output never shares memory with input then. */
  get inflating(): boolean {
    return this.decoder !== null;
  }

  /** The input is over: the last output; throws if it stopped mid-stream. */
  end(): Buffer[] {
    return badInputAsInvalid(() => {
      const out = this.head === null ? [] : this.decide();
      this.decoder?.end();
      return out;
    });
  }

  private decide(): Buffer[] {
    const head = this.head ?? Buffer.alloc(0);
    this.head = null;
    const other = unsupportedCompression(head);
    if (other) throw unsupportedError(other);
    this.decoder = startsWith(head, GZIP_MAGIC) ? new Gunzip() : startsWith(head, ZSTD_MAGIC) ? new ZstdDecoder() : null;
    if (this.decoder) return this.decoder.push(head);
    return head.length > 0 ? [head] : [];
  }
}

function badInputAsInvalid<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isDecodeError(err)) throw new InvalidArgumentError(`invalid layer tar: ${errorMessage(err)}`, { cause: err });
    throw err;
  }
}
