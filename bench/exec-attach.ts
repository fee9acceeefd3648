// Interactive paths: `exec true` latency (vs raw `runc exec` into a running runc
// container) and attach throughput (MB/s of a container writing to stdout, read by the CLI).
import { spawn, execFileSync } from 'node:child_process';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeBusyboxRootfs } from './runc-raw';
import { benchEnv, timeOnce, timeRepeated } from './timing';
import type { Cli, EngineTarget } from './engine-suite';

const cliArgs = (cli: Cli, args: string[]) => ({ cmd: cli.cmd, args: [...cli.prefix, ...args], env: cli.env });

/** `runc exec <id> /bin/true` into a detached runc container: the floor for exec. */
export async function benchRawRuncExec(workDir: string, iterations: number): Promise<number[]> {
  const bundle = path.join(workDir, 'exec-bundle');
  const root = path.join(workDir, 'exec-runc');
  const id = `bench-exec-${process.pid}`;
  fs.mkdirSync(bundle, { recursive: true });
  writeBusyboxRootfs(path.join(bundle, 'rootfs'));
  execFileSync('runc', ['spec', '--bundle', bundle]);
  const configPath = path.join(bundle, 'config.json');
  const spec = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { process: { terminal: boolean; args: string[] } };
  spec.process.terminal = false;
  spec.process.args = ['/bin/sleep', '3600'];
  fs.writeFileSync(configPath, JSON.stringify(spec));
  execFileSync('runc', ['--root', root, 'run', '--detach', '--bundle', bundle, id], { stdio: 'ignore' });
  try {
    return await timeRepeated({ cmd: 'runc', args: ['--root', root, 'exec', id, '/bin/true'] }, iterations);
  } finally {
    try { execFileSync('runc', ['--root', root, 'delete', '-f', id], { stdio: 'ignore' }); } catch { /* best effort */ }
  }
}

/** `exec <container> true` through a CLI into a running container. */
export async function benchExec(target: EngineTarget, cli: Cli, iterations: number): Promise<number[]> {
  const started = await timeOnce(cliArgs(cli, ['run', '-d', ...target.runArgs, 'busybox', 'sleep', '3600']));
  const id = started.stdout.trim();
  try {
    return await timeRepeated(cliArgs(cli, ['exec', id, 'true']), iterations);
  } finally {
    await timeOnce(cliArgs(cli, ['rm', '-f', id])).catch(() => undefined);
  }
}

/** MB/s of `run --rm` of a container writing `mb` MiB to stdout, as the CLI receives it. */
export async function benchAttachThroughput(target: EngineTarget, cli: Cli, mb: number, rounds: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const args = [...cli.prefix, 'run', '--rm', ...target.runArgs, 'busybox', 'sh', '-c', `dd if=/dev/zero bs=1048576 count=${mb} 2>/dev/null`];
    const t = process.hrtime.bigint();
    const bytes = await new Promise<number>((resolve, reject) => {
      const child = spawn(cli.cmd, args, { env: benchEnv(cli.env), stdio: ['ignore', 'pipe', 'ignore'] });
      let n = 0;
      child.stdout.on('data', (d: Buffer) => { n += d.length; });
      child.on('error', reject);
      child.on('close', (code) => code === 0 ? resolve(n) : reject(new Error(`${cli.label} run exited ${code}`)));
    });
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    if (bytes !== mb * 1048576) throw new Error(`received ${bytes} bytes, expected ${mb * 1048576}`);
    out.push(bytes / 1048576 / secs);
  }
  return out;
}

/** One HTTP exchange on the engine socket; with `upgrade`, reads the hijacked stream to its end. */
function request(socket: string, method: string, urlPath: string, body?: unknown, upgrade = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json' };
    if (data) headers['Content-Length'] = Buffer.byteLength(data);
    if (upgrade) { headers.Connection = 'Upgrade'; headers.Upgrade = 'tcp'; }
    const req = http.request({ socketPath: socket, method, path: urlPath, headers });
    req.on('upgrade', (_res, sock) => { sock.resume(); sock.once('close', () => resolve('')); });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(text) : reject(new Error(`${method} ${urlPath}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Exec create + attached start + inspect as raw API calls: the engine's share of `exec true`. */
export async function benchExecApi(target: EngineTarget, iterations: number): Promise<number[]> {
  const hostConfig = target.runArgs.includes('none') ? { NetworkMode: 'none' } : {};
  const created = JSON.parse(await request(target.socket, 'POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '3600'], HostConfig: hostConfig })) as { Id: string };
  await request(target.socket, 'POST', `/containers/${created.Id}/start`);
  const out: number[] = [];
  try {
    for (let i = 0; i <= iterations; i++) {
      const t = process.hrtime.bigint();
      const { Id } = JSON.parse(await request(target.socket, 'POST', `/containers/${created.Id}/exec`, { Cmd: ['true'], AttachStdout: true, AttachStderr: true })) as { Id: string };
      await request(target.socket, 'POST', `/exec/${Id}/start`, { Detach: false, Tty: false }, true);
      const info = JSON.parse(await request(target.socket, 'GET', `/exec/${Id}/json`)) as { ExitCode: number };
      if (info.ExitCode !== 0) throw new Error(`exec exited ${info.ExitCode}`);
      if (i > 0) out.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    await request(target.socket, 'DELETE', `/containers/${created.Id}?force=1`).catch(() => undefined);
  }
  return out;
}
