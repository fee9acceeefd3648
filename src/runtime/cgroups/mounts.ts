// Cgroup hierarchies mounted on this host, from /proc/self/mountinfo, and where a
// process sits in them, from /proc/<pid>/cgroup. Handles v1, v2 and hybrid hosts:
// v1 is used whenever a v1 memory or cpuacct hierarchy is mounted.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CgroupLocation } from './types';

export interface CgroupMount { mountPoint: string; root: string; controllers: string[]; version: 1 | 2 }

/** Mountinfo lines of type cgroup/cgroup2 (fields: id parent dev root mountpoint opts ... - type source superopts). */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const pre = line.slice(0, sep).split(' ');
    const [fstype, , superOpts = ''] = line.slice(sep + 3).split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    const controllers = fstype === 'cgroup'
      ? superOpts.split(',').filter((o) => !['rw', 'ro'].includes(o) && !o.includes('=') || o.startsWith('name='))
      : [];
    out.push({ root: unescape(pre[3]), mountPoint: unescape(pre[4]), controllers, version: fstype === 'cgroup' ? 1 : 2 });
  }
  return out;
}

/** /proc/<pid>/cgroup: hierarchy controllers → path ("" key for the v2 line). */
export function parseProcCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === '') out.set('', m[3]);
    else for (const c of m[2].split(',')) out.set(c, m[3]);
  }
  return out;
}

let cachedMounts: CgroupMount[] | undefined;
function hostMounts(): CgroupMount[] {
  if (!cachedMounts) {
    try { cachedMounts = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8')); } catch { cachedMounts = []; }
  }
  return cachedMounts;
}

const V1_CONTROLLERS = ['cpu', 'cpuacct', 'cpuset', 'memory', 'pids', 'blkio'];

/** A cgroup path (relative to its hierarchy's root) inside a mount whose root may be a sub-path. */
function dirIn(mount: CgroupMount, cgroupPath: string): string | undefined {
  const rel = path.posix.relative(mount.root, cgroupPath);
  if (rel.startsWith('..')) return undefined;
  return path.join(mount.mountPoint, rel);
}

/** Locate cgroups from hierarchy paths (as in /proc/<pid>/cgroup, or one path for all). */
export function locate(paths: (controller: string) => string | undefined, mounts = hostMounts()): CgroupLocation | undefined {
  const v1 = new Map<string, string>();
  for (const c of V1_CONTROLLERS) {
    const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(c));
    const p = paths(c);
    if (!mount || p === undefined) continue;
    const dir = dirIn(mount, p);
    if (dir && existsSync(dir)) v1.set(c, dir);
  }
  if (v1.has('memory') || v1.has('cpuacct')) return { version: 1, v1 };
  const unified = mounts.find((m) => m.version === 2);
  const p = paths('');
  if (unified && p !== undefined) {
    const dir = dirIn(unified, p);
    if (dir && existsSync(dir)) return { version: 2, v1, v2: dir };
  }
  return undefined;
}

/** Where the process `pid` lives now (undefined once it is gone). */
export function locateProcess(pid: number): CgroupLocation | undefined {
  let text: string;
  try { text = readFileSync(`/proc/${pid}/cgroup`, 'utf8'); } catch { return undefined; }
  const map = parseProcCgroup(text);
  return locate((c) => map.get(c));
}

/** Where runc puts a container whose spec says `cgroupsPath` (absolute: from the hierarchy root). */
export function locateCgroupsPath(cgroupsPath: string): CgroupLocation | undefined {
  return locate(() => cgroupsPath);
}
