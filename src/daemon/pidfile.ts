// The daemon's pid file: refuse to start while another live berthd holds it;
// a file left by a dead (or unrelated) process is taken over.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError } from '../errors';
import { writeFileAtomicSync } from '../util/atomic-file';

function isLiveBerthd(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A recycled pid belonging to something else must not block the start.
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('berthd');
  } catch {
    return false;
  }
}

export function acquirePidfile(file: string): void {
  let existing: string | undefined;
  try { existing = fs.readFileSync(file, 'utf8'); } catch { existing = undefined; }
  if (existing !== undefined && isLiveBerthd(Number.parseInt(existing.trim(), 10))) {
    throw new ConflictError(`pid file found, ensure berthd is not running or delete ${file}`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, `${process.pid}`);
}

/** Remove the pid file if it is still ours. */
export function releasePidfile(file: string): void {
  try {
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    // already gone
  }
}
