// Small durable-filesystem helpers: the registry's visibility rules rest on rename(2) being
// atomic and on fsync making data (and the directory entry) survive a crash.
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export async function fsyncPath(file: string): Promise<void> {
  const fh = await fsp.open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Write a small file so readers see either the old or the new content, never a mix. */
export async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const fh = await fsp.open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

export async function readTextOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export async function removeIfPresent(file: string): Promise<boolean> {
  try {
    await fsp.unlink(file);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Directory entries, [] when the directory does not exist. Hidden temp files are skipped. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** Remove now-empty parent directories up to (not including) `stop`. */
export async function pruneEmptyDirs(dir: string, stop: string): Promise<void> {
  let current = dir;
  while (current.startsWith(stop + path.sep) && current !== stop) {
    try {
      await fsp.rmdir(current);
    } catch {
      return; // not empty (or gone): stop here
    }
    current = path.dirname(current);
  }
}
