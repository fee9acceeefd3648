// Mount-point checks through /proc/self/mountinfo (field 5 is the mount point,
// with space, tab, newline and backslash octal-escaped).
import * as fs from 'node:fs';

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function mountPoints(): string[] {
  const text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    if (fields.length > 4) out.push(unescape(fields[4]));
  }
  return out;
}

export function isMountPoint(target: string): boolean {
  return mountPoints().includes(target);
}

/** Mount points at or below `dir` (deepest first, the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return mountPoints().filter((m) => m === dir || m.startsWith(prefix)).sort((a, b) => b.length - a.length);
}
