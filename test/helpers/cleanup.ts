// Leak detection and forced cleanup for everything a berthd under test can leave on the
// host: runc containers, conmon processes, overlay mounts, cgroup dirs. All synchronous so
// it also runs from a process 'exit' hook when a test run is torn down abruptly.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface MountEntry { source: string; target: string; fstype: string; options: string }
export interface ProcessEntry { pid: number; args: string[] }

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** /proc/self/mounts escapes space, tab, newline and backslash as octal (\040...). */
function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function isUnder(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

export function mountsUnder(dirs: string[]): MountEntry[] {
  const lines = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').filter(Boolean);
  const found: MountEntry[] = [];
  for (const line of lines) {
    const [source, target, fstype, options] = line.split(' ').map(decodeMountField);
    if (dirs.some((dir) => isUnder(target, dir))) found.push({ source, target, fstype, options });
  }
  return found;
}

/** Lazy-unmounts every mount below `dirs`, deepest first, until none is left (or no progress). */
export function unmountAllUnder(dirs: string[]): string[] {
  const errors: string[] = [];
  for (let round = 0; round < 5; round++) {
    const mounts = mountsUnder(dirs).sort((a, b) => b.target.length - a.target.length);
    if (mounts.length === 0) return [];
    for (const m of mounts) {
      const r = spawnSync('umount', ['-l', m.target], { encoding: 'utf8' });
      if (r.status !== 0 && round === 4) errors.push(`umount ${m.target}: ${r.stderr.trim()}`);
    }
  }
  return mountsUnder(dirs).length ? errors : [];
}

/** Processes (other than this one) whose command line contains `text`. */
export function processesMentioning(text: string): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let raw: string;
    try {
      raw = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    if (raw.includes(text)) found.push({ pid: Number(name), args: raw.split('\0').filter(Boolean) });
  }
  return found;
}

export function conmonProcessesMentioning(text: string): ProcessEntry[] {
  return processesMentioning(text).filter((p) => path.basename(p.args[0] ?? '') === 'conmon');
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Kills and deletes every container runc knows under `runcRoot` (thawing paused ones first). */
export function destroyRuncContainers(runcRoot: string): void {
  if (!fs.existsSync(runcRoot)) return;
  const list = spawnSync('runc', ['--root', runcRoot, 'list', '--format', 'json'], { encoding: 'utf8' });
  let containers: Array<{ id: string; status: string }> = [];
  try {
    containers = JSON.parse(list.stdout || 'null') ?? [];
  } catch {
    containers = [];
  }
  for (const c of containers) {
    if (c.status === 'paused') spawnSync('runc', ['--root', runcRoot, 'resume', c.id]);
    spawnSync('runc', ['--root', runcRoot, 'kill', '-a', c.id, 'KILL']);
  }
  for (const c of containers) spawnSync('runc', ['--root', runcRoot, 'delete', '-f', c.id]);
}

/** Every cgroup dir named `parent` (and below) in each mounted hierarchy, deepest first. */
export function cgroupDirs(parent: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    found.push(dir);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
    }
  };
  // A runtime may place `parent` below the caller's own cgroup (seen with dockerd's runc
  // in the memory hierarchy), so look under every cgroup path this process is in, too.
  const bases = new Set<string>(['/']);
  for (const line of fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const base = line.split(':').slice(2).join(':');
    if (base) bases.add(base);
  }
  for (const hierarchy of fs.readdirSync('/sys/fs/cgroup')) {
    for (const base of bases) {
      const top = path.join('/sys/fs/cgroup', hierarchy, base, parent);
      try {
        if (fs.statSync(top).isDirectory() && !found.includes(top)) walk(top);
      } catch {
        // not in this hierarchy
      }
    }
  }
  return found.sort((a, b) => b.length - a.length);
}

/** Thaws, kills every process in, and removes the cgroup dirs of `parent`. */
export function removeCgroups(parent: string): string[] {
  const dirs = cgroupDirs(parent);
  for (const dir of dirs) {
    try {
      fs.writeFileSync(path.join(dir, 'freezer.state'), 'THAWED');
    } catch {
      // not a freezer dir
    }
  }
  for (const dir of dirs) {
    try {
      for (const pid of fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) killPid(Number(pid), 'SIGKILL');
    } catch {
      // no procs file
    }
  }
  const errors: string[] = [];
  for (const dir of dirs) {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.rmdirSync(dir);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        if (attempt >= 20) {
          errors.push(`rmdir ${dir}: ${code}`);
          break;
        }
        sleepSync(50); // killed processes take a moment to leave the cgroup
      }
    }
  }
  return errors;
}

export interface CleanupTargets { tmpRoot: string; runcRoot: string; cgroupParent: string }

/**
 * Removes everything a test daemon may have left. Returns problems it could not fix; the
 * temp root is only deleted when nothing is mounted below it any more (rm -rf through a
 * leftover bind mount could delete host files).
 */
export function forceCleanup(targets: CleanupTargets): string[] {
  destroyRuncContainers(targets.runcRoot);
  for (const p of processesMentioning(targets.tmpRoot)) killPid(p.pid, 'SIGKILL');
  const problems = [...removeCgroups(targets.cgroupParent)];
  sleepSync(50);
  problems.push(...unmountAllUnder([targets.tmpRoot]));
  if (mountsUnder([targets.tmpRoot]).length === 0) fs.rmSync(targets.tmpRoot, { recursive: true, force: true });
  else problems.push(`left ${targets.tmpRoot} in place: still mounted below it`);
  return problems;
}
