// Gathered writes that finish partial writes (writev may take fewer bytes than given).
import * as fs from 'node:fs';

/** Writes every chunk, at `position` or at the file offset when it is omitted. */
export function writevAllSync(fd: number, chunks: Buffer[], position?: number): void {
  let pending = chunks;
  let at = position;
  while (pending.length > 0) {
    const n = fs.writevSync(fd, pending, at);
    if (at !== undefined) at += n;
    pending = advance(pending, n);
  }
}

/** Writes every chunk at `position` through the libuv pool. */
export async function writevAll(fd: number, chunks: Buffer[], position: number): Promise<void> {
  let pending = chunks;
  let at = position;
  while (pending.length > 0) {
    const n = await new Promise<number>((resolve, reject) => fs.writev(fd, pending, at, (err, written) => (err ? reject(err) : resolve(written))));
    at += n;
    pending = advance(pending, n);
  }
}

function advance(chunks: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < chunks.length && n >= chunks[i].length) n -= chunks[i++].length;
  const rest = chunks.slice(i);
  if (n > 0) rest[0] = rest[0].subarray(n);
  return rest;
}
