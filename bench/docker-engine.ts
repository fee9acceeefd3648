// Docker Engine for side-by-side figures, when this machine has it: a running dockerd is
// used as it is; otherwise one is started on private roots with its own socket, no bridge
// and no iptables, so it cannot disturb Berth or the host.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { apiRequest, waitForPing } from '../test/helpers/api';
import { forceCleanup } from '../test/helpers/cleanup';
import { writeBusyboxTar } from '../test/helpers/busybox-tar';
import { timeOnce } from './timing';

export interface DockerEngine { socket: string; pid?: number; cgroupParent?: string; stop(): Promise<void> }

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function answers(socket: string): Promise<boolean> {
  try {
    return (await apiRequest(socket, 'GET', '/_ping', { timeoutMs: 2000 })).status === 200;
  } catch {
    return false;
  }
}

/** undefined when dockerd is not installed. */
export async function openDockerEngine(workDir: string): Promise<DockerEngine | undefined> {
  const dockerd = findOnPath('dockerd');
  if (!dockerd) return undefined;
  if (await answers('/var/run/docker.sock')) {
    const pid = Number(fs.readFileSync('/var/run/docker.pid', 'utf8').trim()) || undefined;
    return { socket: '/var/run/docker.sock', pid, stop: async () => undefined };
  }
  const root = path.join(workDir, 'dockerd');
  const socket = path.join(root, 'docker.sock');
  const cgroupParent = `berth-bench-docker-${randomBytes(3).toString('hex')}`;
  fs.mkdirSync(root, { recursive: true });
  const log = fs.openSync(path.join(root, 'dockerd.log'), 'a');
  const child: ChildProcess = spawn(dockerd, [
    '--data-root', path.join(root, 'data'), '--exec-root', path.join(root, 'exec'),
    '-H', `unix://${socket}`, '--pidfile', path.join(root, 'docker.pid'),
    '--bridge', 'none', '--iptables=false', '--ip6tables=false', '--cgroup-parent', cgroupParent,
  ], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let alive = true;
  const exited = new Promise<void>((resolve) => child.once('exit', () => { alive = false; resolve(); }));
  const stop = async (): Promise<void> => {
    if (alive) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (alive) child.kill('SIGKILL');
    }
    forceCleanup({ tmpRoot: root, runcRoot: path.join(root, 'exec', 'runtime-runc', 'moby'), cgroupParent });
  };
  try {
    await waitForPing(socket, 60_000, () => alive);
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket, pid: child.pid, cgroupParent, stop };
}

/** Makes sure the engine has busybox:latest, imported from the same rootfs as Berth's. */
export async function ensureBusybox(socket: string, workDir: string): Promise<void> {
  const res = await apiRequest(socket, 'GET', '/images/busybox:latest/json');
  if (res.status === 200) return;
  const file = path.join(workDir, 'busybox-rootfs.tar');
  await writeBusyboxTar(file);
  await timeOnce({ cmd: 'docker', args: ['import', '-c', 'CMD ["sh"]', file, 'busybox:latest'], env: { DOCKER_HOST: `unix://${socket}` } });
}
