// Blob GET throughput: berth's registry against the reference registry (Debian's
// docker-registry, the CNCF distribution registry), both on loopback, same blob, same client
// (curl writing to /dev/null). Run alone with `node dist/bench/registry-blobs.js`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { sha256File } from './registry-util';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface BlobThroughput {
  sizeMiB: number;
  berthMBps: number[];
  referenceMBps: number[] | undefined;
  /** Server CPU seconds (user + system) per GB served. */
  berthCpuPerGB: number;
  referenceCpuPerGB: number | undefined;
}

function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      http.get(`${url}/v2/`, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url}: not ready`);
}

function pushFile(url: string, repo: string, file: string, digest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const size = fs.statSync(file).size;
    const req = http.request(`${url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: { 'Content-Length': '0' } }, (res) => {
      res.resume();
      const location = new URL(String(res.headers.location), url);
      location.searchParams.set('digest', digest);
      const put = http.request(location, { method: 'PUT', headers: { 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' } }, (r2) => {
        r2.resume();
        if (r2.statusCode === 201) resolve();
        else reject(new Error(`push to ${url}: ${r2.statusCode}`));
      });
      put.on('error', reject);
      fs.createReadStream(file).pipe(put);
    });
    req.on('error', reject);
    req.end();
  });
}

/** MB/s (10^6 bytes) of one full GET, as curl measures it. */
function curlSpeed(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sf', '-o', '/dev/null', '-w', '%{speed_download}', url], (err, stdout) => {
      if (err) reject(err);
      else resolve(Number(stdout) / 1e6);
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function hasReference(): boolean {
  return ['/usr/bin/docker-registry', '/usr/sbin/docker-registry'].some((p) => fs.existsSync(p));
}

export async function benchBlobGet(workDir: string, sizeMiB = 256, rounds = 7): Promise<BlobThroughput> {
  const dir = fs.mkdtempSync(path.join(workDir, 'registry-'));
  const blob = path.join(dir, 'blob');
  const fd = fs.openSync(blob, 'w');
  for (let i = 0; i < sizeMiB; i++) fs.writeSync(fd, randomBytes(1 << 20));
  fs.closeSync(fd);
  const digest = await sha256File(blob);
  let berth: ChildProcess | undefined;
  let reference: ChildProcess | undefined;
  try {
    const berthPort = await freePort();
    berth = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'berth-registry'), 'serve', '--addr', `127.0.0.1:${berthPort}`, '--root', path.join(dir, 'berth'), '--log-level', 'warn'], { stdio: 'ignore' });
    const berthUrl = `http://127.0.0.1:${berthPort}`;
    await waitReady(berthUrl, berth);
    await pushFile(berthUrl, 'bench/blob', blob, digest);

    let referenceUrl: string | undefined;
    if (hasReference()) {
      const refPort = await freePort();
      const config = path.join(dir, 'config.yml');
      fs.writeFileSync(config, [
        'version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true',
        'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'reference')}`, '  delete:', '    enabled: true',
        'http:', `  addr: 127.0.0.1:${refPort}`, '',
      ].join('\n'));
      reference = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
      referenceUrl = `http://127.0.0.1:${refPort}`;
      await waitReady(referenceUrl, reference);
      await pushFile(referenceUrl, 'bench/blob', blob, digest);
    }

    const berthMBps: number[] = [];
    const referenceMBps: number[] = [];
    await curlSpeed(`${berthUrl}/v2/bench/blob/blobs/${digest}`); // warm the page cache
    if (referenceUrl) await curlSpeed(`${referenceUrl}/v2/bench/blob/blobs/${digest}`);
    let berthCpu = 0;
    let referenceCpu = 0;
    // Interleaved rounds, so load from elsewhere on the machine hits both alike.
    for (let i = 0; i < rounds; i++) {
      let c = cpuSeconds(berth.pid);
      berthMBps.push(await curlSpeed(`${berthUrl}/v2/bench/blob/blobs/${digest}`));
      berthCpu += cpuSeconds(berth.pid) - c;
      if (!referenceUrl) continue;
      c = cpuSeconds(reference?.pid);
      referenceMBps.push(await curlSpeed(`${referenceUrl}/v2/bench/blob/blobs/${digest}`));
      referenceCpu += cpuSeconds(reference?.pid) - c;
    }
    const gb = (rounds * sizeMiB * (1 << 20)) / 1e9;
    return {
      sizeMiB, berthMBps, referenceMBps: referenceUrl ? referenceMBps : undefined,
      berthCpuPerGB: berthCpu / gb, referenceCpuPerGB: referenceUrl ? referenceCpu / gb : undefined,
    };
  } finally {
    await stop(berth);
    await stop(reference);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Report lines: medians, all samples, server CPU per GB, and the ratio. */
export function describeBlobGet(r: BlobThroughput): string[] {
  const row = (who: string, xs: number[], cpu: number) =>
    `blob GET ${r.sizeMiB} MiB, ${who}: ${median(xs).toFixed(0)} MB/s median [${xs.map((x) => x.toFixed(0)).join(' ')}], server CPU ${cpu.toFixed(2)} s/GB`;
  const lines = [row('berth registry', r.berthMBps, r.berthCpuPerGB)];
  if (!r.referenceMBps) return [...lines, 'reference registry (docker-registry) not installed: skipped'];
  lines.push(row('reference registry (docker-registry)', r.referenceMBps, r.referenceCpuPerGB ?? NaN));
  lines.push(`blob GET throughput berth / reference: ${(median(r.berthMBps) / median(r.referenceMBps)).toFixed(2)}x (target >= 1x); `
    + `server CPU per GB berth / reference: ${(r.berthCpuPerGB / (r.referenceCpuPerGB ?? NaN)).toFixed(2)}x`);
  return lines;
}

if (require.main === module) {
  const work = fs.mkdtempSync('/tmp/berth-bench-registry-');
  benchBlobGet(work).then((r) => {
    for (const line of describeBlobGet(r)) process.stdout.write(`${line}\n`);
  }).finally(() => fs.rmSync(work, { recursive: true, force: true })).catch((err: Error) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
}
