// Fixtures for the runtime and container tests: a busybox rootfs directory built from
// the host's busybox-static, temp roots, and forced cleanup of runc/conmon/cgroups.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n';
export const GROUP = 'root:x:0:\nwheel:x:10:root\nalice:x:1000:\nstaff:x:50:alice\nnogroup:x:65534:\n';

/** A busybox root filesystem in `dir` (bin/ applet symlinks, passwd, group, empty mount points). */
export function makeBusyboxRootfs(dir: string): void {
  for (const d of ['bin', 'etc', 'dev', 'proc', 'sys', 'root', 'home/alice']) fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'tmp'), { mode: 0o1777 });
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  fs.copyFileSync('/bin/busybox', path.join(dir, 'bin/busybox'));
  fs.chmodSync(path.join(dir, 'bin/busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter((s) => s && s !== 'busybox');
  for (const a of applets) fs.symlinkSync('busybox', path.join(dir, 'bin', a));
  fs.writeFileSync(path.join(dir, 'etc/passwd'), PASSWD);
  fs.writeFileSync(path.join(dir, 'etc/group'), GROUP);
}

export interface TempRoots {
  base: string;
  runtimeRoot: string;
  conmonRoot: string;
  containersRoot: string;
  cgroupParent: string;
}

export function makeTempRoots(prefix: string): TempRoots {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${prefix}-`));
  const roots = {
    base,
    runtimeRoot: path.join(base, 'run/runc'),
    conmonRoot: path.join(base, 'run/conmon'),
    containersRoot: path.join(base, 'containers'),
    cgroupParent: `berth-test-${path.basename(base)}`,
  };
  fs.mkdirSync(roots.containersRoot, { recursive: true });
  return roots;
}

/** Kills and deletes every runc container under the roots, their conmons, mounts and cgroups, then the dirs. */
export function cleanupRoots(roots: TempRoots): void {
  const list = spawnSync('runc', ['--root', roots.runtimeRoot, 'list', '-q'], { encoding: 'utf8' });
  for (const id of (list.stdout ?? '').split('\n').filter(Boolean)) {
    spawnSync('runc', ['--root', roots.runtimeRoot, 'delete', '--force', id]);
  }
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.startsWith('conmon') || cmd.includes('/conmon\0')) {
        if (cmd.includes(roots.base)) process.kill(Number(name), 'SIGKILL');
      }
    } catch { /* gone */ }
  }
  const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((t) => t && t.startsWith(roots.base));
  for (const m of mounts.sort((a, b) => b.length - a.length)) spawnSync('umount', ['-l', m]);
  removeCgroupParent(roots.cgroupParent);
  fs.rmSync(roots.base, { recursive: true, force: true });
}

export function removeCgroupParent(parent: string): void {
  const base = '/sys/fs/cgroup';
  for (const ctrl of fs.readdirSync(base)) {
    const dir = path.join(base, ctrl, parent);
    if (!fs.existsSync(dir)) continue;
    for (const child of fs.readdirSync(dir, { withFileTypes: true })) {
      if (child.isDirectory()) try { fs.rmdirSync(path.join(dir, child.name)); } catch { /* busy */ }
    }
    try { fs.rmdirSync(dir); } catch { /* busy or gone */ }
  }
}

/** Resolves when `predicate` holds, polling every 10 ms (test helper only). */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
