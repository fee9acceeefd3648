// Device nodes for HostConfig.Devices and --privileged (every host device under /dev).
import { lstatSync, readdirSync, type BigIntStats } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import type { OciDevice, OciDeviceRule } from './types';

function majorMinor(st: BigIntStats): { major: number; minor: number } {
  const dev = st.rdev;
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  return { major, minor };
}

function deviceAt(hostPath: string, containerPath: string): OciDevice | undefined {
  const st = lstatSync(hostPath, { bigint: true });
  const type = st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : undefined;
  if (!type) return undefined;
  return { type, path: containerPath, ...majorMinor(st), fileMode: Number(st.mode & 0o777n), uid: Number(st.uid), gid: Number(st.gid) };
}

/** One `--device host[:container[:perms]]` mapping; a directory maps every device under it. */
export function mappedDevices(pathOnHost: string, pathInContainer: string, permissions: string): { devices: OciDevice[]; rules: OciDeviceRule[] } {
  if (!/^[rwm]{1,3}$/.test(permissions || 'rwm')) throw new InvalidArgumentError(`invalid device cgroup permissions: ${permissions}`);
  const access = permissions || 'rwm';
  let found: OciDevice[];
  try {
    const dev = deviceAt(pathOnHost, pathInContainer || pathOnHost);
    found = dev ? [dev] : walk(pathOnHost).map((d) => ({ ...d, path: path.join(pathInContainer || pathOnHost, path.relative(pathOnHost, d.path)) }));
  } catch {
    throw new InvalidArgumentError(`error gathering device information while adding custom device "${pathOnHost}": no such file or directory`);
  }
  if (found.length === 0) throw new InvalidArgumentError(`error gathering device information while adding custom device "${pathOnHost}": not a device node`);
  return { devices: found, rules: found.map((d) => ({ allow: true, type: d.type as 'c' | 'b', major: d.major, minor: d.minor, access })) };
}

const SKIP = new Set(['/dev/pts', '/dev/shm', '/dev/mqueue', '/dev/console', '/dev/ptmx']);

function walk(dir: string): OciDevice[] {
  const out: OciDevice[] = [];
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const p = path.join(dir, name);
    if (SKIP.has(p)) continue;
    try {
      const st = lstatSync(p);
      if (st.isDirectory()) out.push(...walk(p));
      else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const d = deviceAt(p, p);
        if (d) out.push(d);
      }
    } catch { /* vanished meanwhile */ }
  }
  return out;
}

/** Every device node of the host (privileged containers). */
export function hostDevices(): OciDevice[] {
  return walk('/dev');
}
