// Mount points the runtime creates in a container's upper dir when the image
// lacks them (runc makes an empty file or directory to bind or mount onto).
// Docker keeps these in a separate "init" layer, so they never show in its
// diffs or commits. Here they are left out while they are still such stubs,
// together with the directories that were copied up only to hold them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as native from '../../native';

const STUB_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv', '/dev/console'];
const STUB_DIRS = ['/proc', '/sys', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue'];

function isStub(upper: string, containerPath: string, dir: boolean): boolean {
  const abs = path.join(upper, containerPath);
  const st = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (!st) return false;
  if (!dir) return st.isFile() && st.size === 0;
  return st.isDirectory() && fs.readdirSync(abs).length === 0;
}

function lowerDir(lowers: string[], rel: string): fs.Stats | undefined {
  for (const layer of lowers) {
    const st = fs.lstatSync(path.join(layer, rel), { throwIfNoEntry: false });
    if (st) return st.isDirectory() ? st : undefined;
  }
  return undefined;
}

/** Container paths ("/etc/hosts", "/etc") that diff and commit leave out. */
export function runtimeStubPaths(upper: string, lowers: string[]): Set<string> {
  const out = new Set<string>();
  for (const p of STUB_FILES) if (isStub(upper, p, false)) out.add(p);
  for (const p of STUB_DIRS) if (isStub(upper, p, true) && !lowerDir(lowers, p)) out.add(p);
  // Parents copied up only because a stub was created in them.
  const parents = [...new Set([...out].map((p) => path.posix.dirname(p)))].filter((p) => p !== '/').sort((a, b) => b.length - a.length);
  for (const dir of parents) {
    const abs = path.join(upper, dir);
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    const lower = lowerDir(lowers, dir);
    if (!st?.isDirectory() || !lower || native.lgetxattr(abs, 'trusted.overlay.opaque')?.toString() === 'y') continue;
    if (st.mode !== lower.mode || st.uid !== lower.uid || st.gid !== lower.gid) continue;
    if (fs.readdirSync(abs).every((name) => out.has(`${dir}/${name}`))) out.add(dir);
  }
  return out;
}
