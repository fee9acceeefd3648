// Memory figures from /proc: system-wide MemAvailable and per-process RSS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cgroupDirs } from '../test/helpers/cleanup';

export function memAvailableBytes(): number {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // exited
  }
}

/** Proportional set size: shared pages (libc, glib) split between the processes mapping them. */
export function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Memory charged to a cgroup v1 memory subtree (the containers' own processes and page cache). */
export function cgroupMemoryBytes(parent: string): number {
  const dir = cgroupDirs(parent).find((d) => d.startsWith('/sys/fs/cgroup/memory/') && path.basename(d) === parent);
  try {
    return dir ? Number(fs.readFileSync(path.join(dir, 'memory.usage_in_bytes'), 'utf8').trim()) : NaN;
  } catch {
    return NaN;
  }
}

/** Pids whose argv[0] basename is `name` and whose command line contains `mention`. */
export function pidsOf(name: string, mention: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if ((args[0] ?? '').split('/').pop() === name && args.join(' ').includes(mention)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Drops the page cache's influence a little: sample a few times and take the median. */
export async function settledMemAvailable(samples = 5, gapMs = 200): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(memAvailableBytes());
    await new Promise((r) => setTimeout(r, gapMs));
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}
