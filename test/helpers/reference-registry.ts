// Debian's reference registry (docker-registry, CNCF distribution 2.8) on a free
// loopback port with temp storage, optionally behind htpasswd (bcrypt) basic auth.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { waitFor } from './wait';

export interface ReferenceRegistry {
  /** "127.0.0.1:<port>" */
  readonly host: string;
  readonly port: number;
  readonly root: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function hasReferenceRegistry(): boolean {
  return spawnSync('sh', ['-c', 'command -v docker-registry'], { stdio: 'ignore' }).status === 0;
}

export async function startReferenceRegistry(dir: string, options: { user?: string; password?: string } = {}): Promise<ReferenceRegistry> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let auth = '';
  if (options.user) {
    const out = spawnSync('htpasswd', ['-Bbn', options.user, options.password ?? ''], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`htpasswd failed: ${out.stderr}`);
    fs.writeFileSync(path.join(dir, 'htpasswd'), out.stdout);
    auth = `auth:\n  htpasswd:\n    realm: basic-realm\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  const config = `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`;
  fs.writeFileSync(path.join(dir, 'config.yml'), config);
  const log = fs.openSync(path.join(dir, 'registry.log'), 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return listeningRegistry(child, port, dir, () => fs.readFileSync(path.join(dir, 'registry.log'), 'utf8'));
}

/** Waits until a registry process listens on `port`, and gives it a stop() (SIGTERM, then SIGKILL after 5 s). */
export async function listeningRegistry(child: ChildProcess, port: number, root: string, log: () => string = () => ''): Promise<ReferenceRegistry> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor('the registry to listen', async () => {
    if (child.exitCode !== null) throw new Error(`registry exited with code ${child.exitCode}: ${log()}`);
    return new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
  }, { timeoutMs: 15_000 });
  return {
    host: `127.0.0.1:${port}`, port, root,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
