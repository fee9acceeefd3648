// Synchronous streaming decoders in the addon — gzip (zlib, as linked by Node) and
// zstd (the system's libzstd; Node 20 has none) — for worker threads, where
// decoding in place beats sending every chunk through the libuv pool, and for
// zstd anywhere. gzip errors carry zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR...)
// like node:zlib's; zstd errors have code ERR_ZSTD.
import { addon, type GunzipHandle, type ZstdHandle } from './addon';

export interface StreamDecoder {
  /** Decodes `input`; returns the output it completes (possibly none). */
  push(input: Buffer): Buffer[];
  /** Ends the stream and frees the decoder; throws if the input stopped mid-stream. */
  end(): void;
}

export class Gunzip implements StreamDecoder {
  private readonly handle: GunzipHandle = addon.gunzipCreate();

  push(input: Buffer): Buffer[] {
    return addon.gunzipPush(this.handle, input);
  }

  end(): void {
    addon.gunzipEnd(this.handle);
  }
}

export class ZstdDecoder implements StreamDecoder {
  private readonly handle: ZstdHandle = addon.zstdCreate();

  push(input: Buffer): Buffer[] {
    return addon.zstdPush(this.handle, input);
  }

  end(): void {
    addon.zstdEnd(this.handle);
  }
}
