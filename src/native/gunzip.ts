// Synchronous streaming gunzip (zlib in the addon): for worker threads, where
// inflating in place beats sending every chunk through the libuv pool. Errors
// carry zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR...) like node:zlib's.
import { addon, type GunzipHandle } from './addon';

export class Gunzip {
  private readonly handle: GunzipHandle = addon.gunzipCreate();

  /** Inflates `input`; returns the output it completes (possibly none). */
  push(input: Buffer): Buffer[] {
    return addon.gunzipPush(this.handle, input);
  }

  /** Ends the stream and frees zlib's state; throws if the input stopped inside a gzip member. */
  end(): void {
    addon.gunzipEnd(this.handle);
  }
}
