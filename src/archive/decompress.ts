// Detects gzip by its magic bytes and returns a stream of the uncompressed bytes.
// Other compressions Docker accepts (bzip2, xz, zstd) have no decoder in Node 20:
// they fail with a clear error instead of a tar checksum error.
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidArgumentError, errorMessage } from '../errors';
import { Gunzip } from '../native';

const GZIP_MAGIC = [0x1f, 0x8b];
/** Bytes needed to tell the formats apart (the longest magic). */
const HEAD_BYTES = 6;
const UNSUPPORTED: Array<[string, number[]]> = [
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

function unsupportedCompression(head: Buffer): string | undefined {
  return UNSUPPORTED.find(([, magic]) => head.length >= magic.length && magic.every((b, i) => head[i] === b))?.[0];
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

function unsupportedError(format: string): InvalidArgumentError {
  return new InvalidArgumentError(`unsupported compression format: ${format}`);
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
    if (isGzip(head)) {
      const gunzip = createGunzip({ chunkSize: 256 << 10 }); // 16 KiB default: 4x slower here
      gunzip.on('error', forwardError);
      gunzip.pipe(out);
      gunzip.write(head);
      source.pipe(gunzip);
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
 * in, uncompressed chunks out, synchronously, gzip inflated in place by the addon.
 * Throws InvalidArgumentError for other compressions and bad or truncated gzip.
 */
export class InlineDecompressor {
  private head: Buffer | null = Buffer.alloc(0);
  private gunzip: Gunzip | null = null;

  push(chunk: Buffer): Buffer[] {
    return badGzipAsInvalid(() => {
      if (this.head === null) return this.gunzip ? this.gunzip.push(chunk) : [chunk];
      this.head = Buffer.concat([this.head, chunk]);
      return this.head.length >= HEAD_BYTES ? this.decide() : [];
    });
  }

  /** True once the input is known to be gzip: output never shares memory with input then. */
  get inflating(): boolean {
    return this.gunzip !== null;
  }

  /** The input is over: the last output; throws if it stopped inside a gzip member. */
  end(): Buffer[] {
    return badGzipAsInvalid(() => {
      const out = this.head === null ? [] : this.decide();
      this.gunzip?.end();
      return out;
    });
  }

  private decide(): Buffer[] {
    const head = this.head ?? Buffer.alloc(0);
    this.head = null;
    const other = unsupportedCompression(head);
    if (other) throw unsupportedError(other);
    if (!isGzip(head)) return head.length > 0 ? [head] : [];
    this.gunzip = new Gunzip();
    return this.gunzip.push(head);
  }
}

function badGzipAsInvalid<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new InvalidArgumentError(`invalid layer tar: ${errorMessage(err)}`, { cause: err });
    throw err;
  }
}
