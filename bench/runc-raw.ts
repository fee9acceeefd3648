// Reference point: `runc run` of /bin/true in a plain busybox bundle, no daemon, no
// overlay, no conmon — the floor any engine built on runc can approach.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { busyboxApplets, HOST_BUSYBOX } from '../test/helpers/busybox-tar';
import { timeRepeated } from './timing';

/** A busybox root filesystem as a plain directory (what the benchmark bundle runs). */
export function writeBusyboxRootfs(rootfs: string): void {
  for (const dir of ['bin', 'etc', 'dev', 'proc', 'sys', 'root']) fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
  fs.mkdirSync(path.join(rootfs, 'tmp'), { mode: 0o1777 });
  fs.copyFileSync(HOST_BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
  fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
  for (const applet of busyboxApplets()) fs.symlinkSync('busybox', path.join(rootfs, 'bin', applet));
  fs.writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  fs.writeFileSync(path.join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
}

interface SpecProcess { terminal: boolean; args: string[] }

export async function benchRawRunc(workDir: string, iterations: number): Promise<number[]> {
  const bundle = path.join(workDir, 'bundle');
  const runcRoot = path.join(workDir, 'runc');
  fs.mkdirSync(bundle, { recursive: true });
  writeBusyboxRootfs(path.join(bundle, 'rootfs'));
  execFileSync('runc', ['spec', '--bundle', bundle]);
  const configPath = path.join(bundle, 'config.json');
  const spec = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { process: SpecProcess };
  spec.process.terminal = false;
  spec.process.args = ['/bin/true'];
  fs.writeFileSync(configPath, JSON.stringify(spec));
  let n = 0;
  try {
    return await timeRepeated({ cmd: 'runc', get args() { return ['--root', runcRoot, 'run', '--bundle', bundle, `bench-${process.pid}-${n++}`]; } }, iterations);
  } finally {
    cleanupRunc(runcRoot);
  }
}

function cleanupRunc(runcRoot: string): void {
  if (!fs.existsSync(runcRoot)) return;
  try {
    for (const id of execFileSync('runc', ['--root', runcRoot, 'list', '-q'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
      execFileSync('runc', ['--root', runcRoot, 'delete', '-f', id]);
    }
  } catch {
    // best effort: the caller removes the work dir
  }
}
