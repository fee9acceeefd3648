// A write-once file written past the page cache (O_DIRECT, staged in the addon in
// aligned 1 MiB blocks): for downloaded blobs, which are rarely read back.
// Errors are shaped like Node's fs errors.
import { addon, type DirectFileHandle } from './addon';

export class DirectFile {
  private readonly handle: DirectFileHandle;
  private open = true;

  /** Creates or truncates `path`. */
  constructor(readonly path: string, mode = 0o644) {
    this.handle = addon.directFileOpen(path, mode);
  }

  write(data: Buffer): void {
    addon.directFileWrite(this.handle, data);
  }

  /** Writes what is staged and closes the file. */
  close(): void {
    this.open = false;
    addon.directFileClose(this.handle);
  }

  /** Closes without writing what is staged (a failed download); safe after close(). */
  discard(): void {
    if (!this.open) return;
    this.open = false;
    addon.directFileDiscard(this.handle);
  }
}
