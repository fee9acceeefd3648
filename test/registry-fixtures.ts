// Fixtures for the registry tests: a registry server on a free loopback port (in-process or
// as a child process, or several next to a berthd), raw HTTP requests, and an OCI image
// layout of busybox for skopeo.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { defaultOptions, type RegistryOptions } from '../src/registry/options';
import { startRegistry, type RunningRegistry } from '../src/registry/server';
import { after, before } from 'node:test';
import { startDaemon, type TestDaemon } from './helpers';
import { writeBusyboxTar } from './helpers/busybox-tar';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestRegistry(root: string, extra: Partial<RegistryOptions> = {}): Promise<RunningRegistry> {
  return startRegistry({ ...defaultOptions(root), addr: '127.0.0.1:0', logRequests: false, ...extra });
}

export interface Reply { status: number; headers: http.IncomingHttpHeaders; body: Buffer; json<T = Record<string, unknown>>(): T }

export function request(base: string, method: string, urlPath: string, options: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(urlPath, base), { method, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The error codes of a spec error body. */
export function errorCodes(r: Reply): string[] {
  return (r.json<{ errors: Array<{ code: string }> }>().errors ?? []).map((e) => e.code);
}

/** Push a blob with one POST ?digest=. */
export async function pushBlob(base: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const r = await request(base, 'POST', `/v2/${name}/blobs/uploads/?digest=${digest}`, { body: data, headers: { 'Content-Type': 'application/octet-stream' } });
  if (r.status !== 201) throw new Error(`push blob: ${r.status} ${r.body.toString()}`);
  return digest;
}

export interface ImageFixture { manifest: Buffer; digest: string; config: Buffer; layers: Buffer[] }

/** A small OCI image (random layers) with its blobs pushed to `name`; the manifest is not. */
export async function pushImageBlobs(base: string, name: string, layerCount = 2, mediaType = 'application/vnd.oci.image.manifest.v1+json'): Promise<ImageFixture> {
  const layers = Array.from({ length: layerCount }, (_, i) => Buffer.from(`layer ${i} ${Math.random()}`));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map(sha256) } }));
  for (const l of layers) await pushBlob(base, name, l);
  await pushBlob(base, name, config);
  const docker = mediaType.includes('docker');
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType,
    config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(l), size: l.length })),
  }));
  return { manifest, digest: sha256(manifest), config, layers };
}

/** Write an OCI image layout holding busybox as `ref` (a one-layer linux/amd64 image). */
export async function writeBusyboxLayout(dir: string, ref: string): Promise<{ manifestDigest: string }> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  fs.mkdirSync(blobs, { recursive: true });
  const tarFile = path.join(dir, 'rootfs.tar');
  await writeBusyboxTar(tarFile);
  const tar = fs.readFileSync(tarFile);
  fs.rmSync(tarFile);
  const layer = zlib.gzipSync(tar);
  const put = (data: Buffer): string => {
    const d = sha256(data);
    fs.writeFileSync(path.join(blobs, d.slice(7)), data);
    return d;
  };
  const config = Buffer.from(JSON.stringify({
    architecture: os.arch() === 'arm64' ? 'arm64' : 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z',
    config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: put(layer), size: layer.length }],
  }));
  const manifestDigest = put(manifest);
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': ref } }],
  }));
  return { manifestDigest };
}

/** bin/berth-registry as a child process; resolves once it prints its URL. */
export async function spawnRegistry(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'berth-registry'), 'serve', '--addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`registry did not start: ${err}`)), 10_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`registry exited ${code}: ${err}`));
    });
  });
  return { child, url, stderr: () => err };
}

/**
 * For a test file: a berthd (seeded with busybox) started before its tests and handed
 * to `started`, and berth registry processes started on demand; all are stopped after the file.
 */
export function daemonWithRegistries(started: (d: TestDaemon) => void): { readonly daemon: TestDaemon; registry(name: string, args?: string[]): Promise<string> } {
  let daemon: TestDaemon | undefined;
  const children: ChildProcess[] = [];
  before(async () => {
    daemon = await startDaemon();
    started(daemon);
  });
  after(async () => {
    for (const child of children) child.kill('SIGTERM');
    await daemon?.cleanup();
  });
  return {
    get daemon(): TestDaemon {
      if (!daemon) throw new Error('the daemon starts in a before() hook');
      return daemon;
    },
    /** Starts a berth registry rooted in the daemon's temp dir; returns its "127.0.0.1:PORT". */
    async registry(name: string, args: string[] = []): Promise<string> {
      const r = await spawnRegistry(['--root', path.join(this.daemon.tmpRoot, `registry-${name}`), ...args]);
      children.push(r.child);
      return new URL(r.url).host;
    },
  };
}
