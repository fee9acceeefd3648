import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

/** Absolute path of an executable (conmon insists on one for the runtime). */
export function which(name: string): string {
  if (name.includes('/')) return path.resolve(name);
  const dirs = (process.env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':');
  for (const dir of [...dirs, '/usr/sbin', '/sbin']) {
    const candidate = path.join(dir || '.', name);
    try { accessSync(candidate, constants.X_OK); return path.resolve(candidate); } catch { /* next */ }
  }
  throw new Error(`${name}: executable file not found in $PATH`);
}
