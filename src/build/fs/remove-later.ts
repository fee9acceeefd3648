// Throwaway build directories (the received context): renamed out of the way at
// once, then deleted off the event loop, so a finished build does not wait for
// thousands of unlinks. Whatever a crash leaves is removed at start-up (repair).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log } from '../../util/logger';

export const TRASH_PREFIX = 'trash-';

export function removeLater(dir: string): void {
  const trash = path.join(path.dirname(dir), `${TRASH_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    fs.renameSync(dir, trash);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  fs.promises.rm(trash, { recursive: true, force: true, maxRetries: 2 })
    .catch((err: unknown) => log.warn('build: removing a context directory failed', { dir: trash, error: String(err) }));
}
