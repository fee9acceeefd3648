// Parsers for the text formats of cgroup files (pure, unit-tested).
import type { BlkioEntry } from './types';

/** "key value" lines (memory.stat, cpu.stat, cpuacct.stat, memory.oom_control, memory.events). */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

/** A single number; "max" (v2/pids) → `unlimited`. */
export function parseNumber(text: string, unlimited = 0): number {
  const t = text.trim();
  if (t === 'max') return unlimited;
  const n = Number(t);
  return Number.isFinite(n) ? n : 0;
}

/** cgroup v1 blkio files: "8:0 Read 4096" lines; the "Total N" line is dropped. */
export function parseBlkioV1(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const dev = /^(\d+):(\d+)$/.exec(f[0] ?? '');
    if (!dev) continue;
    // Some files (sectors, io_time) have no op column.
    const [op, value] = f.length >= 3 ? [f[1], f[2]] : ['', f[1]];
    if (value === undefined || !/^\d+$/.test(value)) continue;
    out.push({ major: Number(dev[1]), minor: Number(dev[2]), op, value: Number(value) });
  }
  return out;
}

/** cgroup v2 io.stat ("8:0 rbytes=1 wbytes=2 rios=3 ...") → Docker's read/write byte entries. */
export function parseIoStatV2(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const dev = /^(\d+):(\d+)$/.exec(f[0] ?? '');
    if (!dev) continue;
    const kv: Record<string, number> = {};
    for (const pair of f.slice(1)) {
      const [k, v] = pair.split('=');
      if (v !== undefined) kv[k] = Number(v);
    }
    const major = Number(dev[1]);
    const minor = Number(dev[2]);
    out.push({ major, minor, op: 'read', value: kv.rbytes ?? 0 }, { major, minor, op: 'write', value: kv.wbytes ?? 0 });
  }
  return out;
}

/** System CPU time from /proc/stat (first 7 fields of the "cpu" line, USER_HZ=100 ticks → ns) and online CPUs. */
export function parseProcStat(text: string): { systemUsage: number; onlineCpus: number } {
  let systemUsage = 0;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) break;
    if (line[3] === ' ') {
      const ticks = line.trim().split(/\s+/).slice(1, 8).reduce((sum, v) => sum + Number(v), 0);
      systemUsage = ticks * 1e7;
    } else if (line[3] >= '0' && line[3] <= '9') {
      onlineCpus++;
    }
  }
  return { systemUsage, onlineCpus };
}
