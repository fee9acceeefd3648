// Registry client throughput: push and pull of a ~300 MB image (several layers of
// incompressible random data) between a daemon and a registry on loopback — berthd
// with berth's registry and with Debian's reference registry, and, where installed,
// dockerd with the reference registry — in MB/s of image data. Each round uses a
// fresh registry and a freshly loaded image, so every byte moves.
// Run alone with `node dist/bench/registry-client.js [--quick]`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import * as tar from 'tar-stream';
import { startDaemon, type TestDaemon } from '../test/helpers/daemon';
import { startReferenceRegistry, hasReferenceRegistry, type ReferenceRegistry } from '../test/helpers/reference-registry';
import { startBerthRegistry } from './registry-util';
import { openDockerEngine, type DockerEngine } from './docker-engine';
import { Report, summarize } from './stats';
import { timeOnce } from './timing';

export interface RegistryBenchOptions { layers: number; layerMb: number; rounds: number }

export function registryBenchOptions(quick: boolean): RegistryBenchOptions {
  return quick ? { layers: 4, layerMb: 25, rounds: 1 } : { layers: 4, layerMb: 75, rounds: 3 };
}

/** A docker-save archive of `layers` layers, each one file of random bytes; returns its path and data size. */
export async function writeRandomImage(dir: string, o: RegistryBenchOptions): Promise<{ archive: string; bytes: number }> {
  fs.mkdirSync(dir, { recursive: true });
  const archive = path.join(dir, 'random-image.tar');
  const layerTars: Buffer[] = [];
  for (let i = 0; i < o.layers; i++) {
    const pack = tar.pack();
    pack.entry({ name: `data-${i}.bin`, size: o.layerMb << 20, mode: 0o644, mtime: new Date(0) }, randomBytes(o.layerMb << 20));
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of pack) chunks.push(c as Buffer);
    layerTars.push(Buffer.concat(chunks));
  }
  const diffIds = layerTars.map((t) => `sha256:${createHash('sha256').update(t).digest('hex')}`);
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z', config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
  }));
  const out = tar.pack();
  const file = fs.createWriteStream(archive);
  out.pipe(file);
  const add = (name: string, data: Buffer) => new Promise<void>((resolve, reject) => {
    out.entry({ name, size: data.length, mode: 0o644, mtime: new Date(0) }, data, (err) => (err ? reject(err) : resolve()));
  });
  await add('manifest.json', Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: ['bench-random:1'], Layers: layerTars.map((_, i) => `layer-${i}.tar`) }])));
  await add('config.json', config);
  for (let i = 0; i < layerTars.length; i++) await add(`layer-${i}.tar`, layerTars[i]);
  out.finalize();
  await new Promise<void>((resolve, reject) => { file.on('finish', () => resolve()); file.on('error', reject); });
  return { archive, bytes: layerTars.reduce((n, t) => n + t.length, 0) };
}

/** Push then pull MB/s (one sample per round) for the daemon at `dockerHost`, driven by the docker CLI. */
export async function benchPushPull(dockerHost: string, workDir: string, image: { archive: string; bytes: number }, rounds: number, label: string,
  startRegistry: (dir: string) => Promise<ReferenceRegistry> = startReferenceRegistry): Promise<{ push: number[]; pull: number[] }> {
  const env = { DOCKER_HOST: dockerHost, DOCKER_CONFIG: path.join(workDir, 'docker-config') };
  const docker = (...args: string[]) => timeOnce({ cmd: 'docker', args, env });
  const push: number[] = [];
  const pull: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const reg = await startRegistry(path.join(workDir, `registry-${label}-${round}`));
    const ref = `${reg.host}/bench/random:1`;
    try {
      await docker('load', '-i', image.archive);
      await docker('tag', 'bench-random:1', ref);
      await docker('rmi', 'bench-random:1');
      push.push(image.bytes / 1e6 / ((await docker('push', ref)).ms / 1000));
      await docker('rmi', ref);
      pull.push(image.bytes / 1e6 / ((await docker('pull', ref)).ms / 1000));
      await docker('rmi', ref);
    } finally {
      await reg.stop();
      fs.rmSync(reg.root, { recursive: true, force: true });
    }
  }
  return { push, pull };
}

function record(report: Report, name: string, registry: string, mbSize: number, r: { push: number[]; pull: number[] }): void {
  const push = summarize(r.push).median;
  const pull = summarize(r.pull).median;
  if (registry === 'reference registry') {
    report.metrics.set(`${name}: registry push MB/s`, push);
    report.metrics.set(`${name}: registry pull MB/s`, pull);
  }
  report.value(`${name}: docker push, ${mbSize.toFixed(0)} MB random layers -> ${registry}`, `${push.toFixed(0)} MB/s`);
  report.value(`${name}: docker pull, ${mbSize.toFixed(0)} MB random layers <- ${registry}`, `${pull.toFixed(0)} MB/s`);
}

export async function benchRegistryBerthd(report: Report, d: TestDaemon, workDir: string, image: { archive: string; bytes: number }, rounds: number): Promise<void> {
  record(report, 'berthd', 'berth registry', image.bytes / 1e6, await benchPushPull(d.dockerHost, workDir, image, rounds, 'berthd-berth', startBerthRegistry));
  record(report, 'berthd', 'reference registry', image.bytes / 1e6, await benchPushPull(d.dockerHost, workDir, image, rounds, 'berthd'));
}

export async function benchRegistryDockerd(report: Report, engine: DockerEngine, workDir: string, image: { archive: string; bytes: number }, rounds: number): Promise<void> {
  record(report, 'dockerd', 'reference registry', image.bytes / 1e6, await benchPushPull(`unix://${engine.socket}`, workDir, image, rounds, 'dockerd'));
}

export function registryRatios(report: Report): string {
  const m = (k: string) => report.metrics.get(k) ?? NaN;
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
  return [
    `  registry push: berthd / dockerd ${ratio(m('berthd: registry push MB/s'), m('dockerd: registry push MB/s'))}   (target >= 3x)`,
    `  registry pull: berthd / dockerd ${ratio(m('berthd: registry pull MB/s'), m('dockerd: registry pull MB/s'))}   (target >= 2x; download + verify + unpack)`,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  if (!hasReferenceRegistry()) throw new Error('docker-registry is not installed (apt-get install docker-registry)');
  const o = registryBenchOptions(argv.includes('--quick'));
  const workDir = fs.mkdtempSync('/tmp/berth-bench-registry-');
  const report = new Report();
  let d: TestDaemon | undefined;
  let engine: DockerEngine | undefined;
  try {
    const image = await writeRandomImage(workDir, o);
    d = await startDaemon({ logLevel: 'warn', seedBusybox: false });
    await benchRegistryBerthd(report, d, workDir, image, o.rounds);
    await d.cleanup();
    d = undefined;
    engine = await openDockerEngine(workDir);
    if (engine) await benchRegistryDockerd(report, engine, workDir, image, o.rounds);
    else report.note('Docker Engine not installed: dockerd figures skipped');
    report.note(registryRatios(report));
    report.print();
  } finally {
    await d?.cleanup().catch(() => undefined);
    await engine?.stop().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
