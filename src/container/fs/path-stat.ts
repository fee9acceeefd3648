// Docker's PathStat (X-Docker-Container-Path-Stat): mode is a Go os.FileMode, whose
// type bits differ from st_mode's; mtime is Go's RFC 3339 with nanoseconds.
import * as fs from 'node:fs';

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

// Go's os.FileMode bits (io/fs).
const GO = {
  dir: 2 ** 31, symlink: 2 ** 27, device: 2 ** 26, namedPipe: 2 ** 25, socket: 2 ** 24,
  setuid: 2 ** 23, setgid: 2 ** 22, charDevice: 2 ** 21, sticky: 2 ** 20,
};

export function goFileMode(st: fs.BigIntStats | fs.Stats): number {
  const mode = Number(st.mode);
  let out = mode & 0o777;
  if (st.isDirectory()) out += GO.dir;
  else if (st.isSymbolicLink()) out += GO.symlink;
  else if (st.isBlockDevice()) out += GO.device;
  else if (st.isCharacterDevice()) out += GO.device + GO.charDevice;
  else if (st.isFIFO()) out += GO.namedPipe;
  else if (st.isSocket()) out += GO.socket;
  if (mode & 0o4000) out += GO.setuid;
  if (mode & 0o2000) out += GO.setgid;
  if (mode & 0o1000) out += GO.sticky;
  return out;
}

/** Go's time.Time JSON form (RFC 3339, nanoseconds without trailing zeros), in UTC. */
export function goTime(ns: bigint): string {
  const secs = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  const base = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  const digits = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${digits}Z`;
}

export function pathStat(name: string, st: fs.BigIntStats, linkTarget: string): PathStat {
  return { name, size: Number(st.size), mode: goFileMode(st), mtime: goTime(st.mtimeNs), linkTarget };
}

export function encodePathStat(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}
