// Rlimits for the container process. Without CAP_SYS_RESOURCE a hard limit above the
// current one fails the start, so every requested value is capped at the host's hard
// limit (read once from /proc/self/limits).
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '../../errors';
import type { OciRlimit } from './types';

const LIMIT_NAMES: Record<string, string> = {
  'Max cpu time': 'cpu', 'Max file size': 'fsize', 'Max data size': 'data', 'Max stack size': 'stack',
  'Max core file size': 'core', 'Max resident set': 'rss', 'Max processes': 'nproc', 'Max open files': 'nofile',
  'Max locked memory': 'memlock', 'Max address space': 'as', 'Max file locks': 'locks',
  'Max pending signals': 'sigpending', 'Max msgqueue size': 'msgqueue', 'Max nice priority': 'nice',
  'Max realtime priority': 'rtprio', 'Max realtime timeout': 'rttime',
};

const UNLIMITED = Number.MAX_SAFE_INTEGER;
let hostHard: Map<string, number> | undefined;

/** Host hard limits by Docker ulimit name ("nofile", ...); unlimited = MAX_SAFE_INTEGER. */
export function hostHardLimits(): Map<string, number> {
  if (hostHard) return hostHard;
  const map = new Map<string, number>();
  try {
    for (const line of readFileSync('/proc/self/limits', 'utf8').split('\n').slice(1)) {
      const name = Object.keys(LIMIT_NAMES).find((k) => line.startsWith(k));
      if (!name) continue;
      const fields = line.slice(name.length).trim().split(/\s+/);
      map.set(LIMIT_NAMES[name], fields[1] === 'unlimited' ? UNLIMITED : Number(fields[1]));
    }
  } catch { /* no /proc: nothing is capped */ }
  hostHard = map;
  return map;
}

let sysResource: boolean | undefined;
/** CAP_SYS_RESOURCE (bit 24) in the daemon's effective set: it may raise hard limits. */
export function canRaiseHardLimits(): boolean {
  if (sysResource === undefined) {
    try {
      const hex = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
      sysResource = (BigInt('0x' + hex) & (1n << 24n)) !== 0n;
    } catch { sysResource = false; }
  }
  return sysResource;
}

/**
 * Create-time check of HostConfig.Ulimits, so that a limit the runtime could not set is
 * refused with a 400 instead of failing every start.
 */
export function checkUlimits(ulimits: Array<{ Name: string; Soft: number; Hard: number }> | null | undefined): void {
  for (const u of ulimits ?? []) {
    const name = String(u.Name).toLowerCase();
    if (!Object.values(LIMIT_NAMES).includes(name)) throw new InvalidArgumentError(`invalid ulimit type: ${u.Name}`);
    if (u.Soft > u.Hard && u.Hard >= 0) throw new InvalidArgumentError(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    const cap = hostHardLimits().get(name) ?? UNLIMITED;
    const hard = u.Hard < 0 ? UNLIMITED : u.Hard;
    if (hard > cap && !canRaiseHardLimits()) {
      const show = (v: number) => (v >= UNLIMITED ? 'unlimited' : String(v));
      throw new InvalidArgumentError(`invalid ulimit ${name}=${u.Soft}:${u.Hard}: hard limit ${show(hard)} is above the daemon's hard limit ${show(cap)}, and the daemon lacks CAP_SYS_RESOURCE to raise it`);
    }
  }
}

export function buildRlimits(ulimits: Array<{ Name: string; Soft: number; Hard: number }> | null | undefined): OciRlimit[] | undefined {
  if (!ulimits || ulimits.length === 0) return undefined;
  const host = hostHardLimits();
  const out: OciRlimit[] = [];
  for (const u of ulimits) {
    const name = u.Name.toLowerCase();
    if (!Object.values(LIMIT_NAMES).includes(name)) throw new InvalidArgumentError(`invalid ulimit type: ${u.Name}`);
    if (u.Soft > u.Hard) throw new InvalidArgumentError(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    const cap = host.get(name) ?? UNLIMITED;
    const toLimit = (v: number) => (v < 0 ? UNLIMITED : v);
    const hard = Math.min(toLimit(u.Hard), cap);
    const soft = Math.min(toLimit(u.Soft), hard);
    out.push({ type: 'RLIMIT_' + name.toUpperCase(), hard, soft });
  }
  return out;
}

// The spec wants RLIM_INFINITY (2^64-1), which a JS number cannot carry exactly:
// rlimits hold UNLIMITED in memory and `serializeSpec` writes the exact digits.
export const RLIM_INFINITY = UNLIMITED;
