// ADD <url>: downloaded to a scratch file (never held in memory), its sha256
// computed on the way and checked against --checksum when given.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '../../errors';

export interface Downloaded { file: string; name: string; sha256: string; mtime?: Date }

export async function fetchUrl(url: string, dir: string, checksum?: string): Promise<Downloaded> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    throw new InvalidArgumentError(`failed to GET ${url}: ${(err as Error).message}`);
  }
  if (!res.ok || !res.body) throw new InvalidArgumentError(`failed to GET ${url} with status ${res.status} ${res.statusText}`);
  const name = path.posix.basename(new URL(url).pathname) || '__unnamed__';
  const file = path.join(dir, 'download');
  const hash = createHash('sha256');
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  await pipeline(body, fs.createWriteStream(file, { mode: 0o600 }));
  const sha256 = hash.digest('hex');
  if (checksum !== undefined) {
    const want = checksum.replace(/^sha256:/, '');
    if (!checksum.startsWith('sha256:') || want !== sha256) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new InvalidArgumentError(`digest mismatch ${checksum}: sha256:${sha256}`);
    }
  }
  const modified = res.headers.get('last-modified');
  return { file, name, sha256, mtime: modified ? new Date(modified) : undefined };
}
