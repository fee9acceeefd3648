// Log throughput: a container writing `mb` MiB of 72-byte lines to stdout.
//  - ingest: `run -d` of the writer until `wait` returns (how fast the engine takes output in;
//    a slow logging path blocks the writer),
//  - follow: `logs -f` started with the writer, MiB/s from its first byte to its end,
//  - read: one-shot `logs` of the finished container.
// Standalone: `node dist/bench/logs.js [--mb N] [--rounds N]` (berthd, and dockerd when installed).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, REPO_ROOT } from '../test/helpers/daemon';
import { ensureBusybox, openDockerEngine } from './docker-engine';
import type { Cli, EngineTarget } from './engine-suite';
import { Report, fmtRatio, summarize } from './stats';
import { benchEnv, timeOnce } from './timing';

export interface LogThroughput { ingest: number[]; follow: number[]; read: number[]; ingestSeconds: number[] }

const LINE = 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012345678'; // 71 + newline

function writerScript(mb: number, delaySec: number): string {
  return `sleep ${delaySec}; yes ${LINE} | head -c ${mb * 1048576}`;
}

/** Runs a CLI command, counting stdout bytes; resolves with the count and the time from its first byte. */
function countOutput(cli: Cli, args: string[]): Promise<{ bytes: number; firstByteToEndSec: number; totalSec: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cli.cmd, [...cli.prefix, ...args], { env: benchEnv(cli.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let first: bigint | undefined;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { first ??= process.hrtime.bigint(); bytes += d.length; });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const end = process.hrtime.bigint();
      if (code !== 0) { reject(new Error(`${cli.label} ${args.join(' ')} exited ${code}: ${stderr.trim().slice(0, 300)}`)); return; }
      resolve({ bytes, firstByteToEndSec: Number(end - (first ?? end)) / 1e9, totalSec: Number(end - started) / 1e9 });
    });
  });
}

export async function benchLogThroughput(target: EngineTarget, cli: Cli, mb: number, rounds: number): Promise<LogThroughput> {
  const run = (args: string[]) => timeOnce({ cmd: cli.cmd, args: [...cli.prefix, ...args], env: cli.env });
  const expected = mb * 1048576;
  const result: LogThroughput = { ingest: [], follow: [], read: [], ingestSeconds: [] };
  for (let i = 0; i < rounds; i++) {
    // Ingest: nobody reads the log.
    const t = process.hrtime.bigint();
    const id = (await run(['run', '-d', ...target.runArgs, 'busybox', 'sh', '-c', writerScript(mb, 0)])).stdout.trim();
    try {
      await run(['wait', id]);
      const secs = Number(process.hrtime.bigint() - t) / 1e9;
      result.ingestSeconds.push(secs);
      result.ingest.push(mb / secs);
      const read = await countOutput(cli, ['logs', id]);
      if (read.bytes !== expected) throw new Error(`logs returned ${read.bytes} bytes, expected ${expected}`);
      result.read.push(mb / read.totalSec);
    } finally {
      await run(['rm', '-f', id]).catch(() => undefined);
    }
    // Follow: the reader is attached before the first line.
    const fid = (await run(['run', '-d', ...target.runArgs, 'busybox', 'sh', '-c', writerScript(mb, 1)])).stdout.trim();
    try {
      const followed = await countOutput(cli, ['logs', '-f', fid]);
      if (followed.bytes !== expected) throw new Error(`logs -f returned ${followed.bytes} bytes, expected ${expected}`);
      result.follow.push(mb / followed.firstByteToEndSec);
    } finally {
      await run(['rm', '-f', fid]).catch(() => undefined);
    }
  }
  return result;
}

/** Adds the rows for one engine; metrics keys are "<engine>: logs <kind> MB/s". */
export function reportLogThroughput(report: Report, tag: string, cli: Cli, mb: number, r: LogThroughput): void {
  const row = (kind: string, label: string, samples: number[]) => {
    const s = summarize(samples);
    report.metrics.set(`${tag}: logs ${kind} MB/s`, s.median);
    report.value(`${tag}: ${cli.label} ${label} (${mb} MiB)`, `${s.median.toFixed(0)} MiB/s`);
  };
  row('ingest', 'run -d writer until wait', r.ingest);
  report.timing(`${tag}: ${cli.label} run -d + wait of a ${mb} MiB writer`, r.ingestSeconds.map((s) => s * 1000));
  row('follow', 'logs -f while writing', r.follow);
  row('read', 'logs of the finished writer', r.read);
}

export function logRatioLines(report: Report): string[] {
  const m = (k: string) => report.metrics.get(k) ?? NaN;
  return ['ingest', 'follow', 'read'].map((kind) =>
    `  logs ${kind.padEnd(6)} MiB/s (docker CLI): berthd / dockerd ${fmtRatio(m(`berthd: logs ${kind} MB/s`), m(`dockerd: logs ${kind} MB/s`))}   (higher is better)`);
}

async function main(argv: string[]): Promise<void> {
  const num = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 && Number(argv[i + 1]) > 0 ? Number(argv[i + 1]) : fallback;
  };
  const mb = num('--mb', 64);
  const rounds = num('--rounds', 3);
  const report = new Report();
  const workDir = fs.mkdtempSync('/tmp/berth-bench-logs-');
  const d = await startDaemon({ logLevel: 'warn' });
  try {
    const docker: Cli = { label: 'docker', cmd: 'docker', prefix: [], env: { DOCKER_HOST: d.dockerHost, DOCKER_CONFIG: path.join(d.tmpRoot, 'docker-config') } };
    const berth: Cli = { label: 'berth', cmd: process.execPath, prefix: [path.join(REPO_ROOT, 'bin', 'berth')], env: { BERTH_HOST: d.dockerHost } };
    const target: EngineTarget = { name: 'berthd', socket: d.socket, clis: [docker, berth], runArgs: [], shim: { name: 'conmon', mention: d.tmpRoot }, daemonPid: d.pid, cgroupParent: d.cgroupParent };
    reportLogThroughput(report, 'berthd', docker, mb, await benchLogThroughput(target, docker, mb, rounds));
  } finally {
    await d.cleanup();
  }
  const engine = await openDockerEngine(workDir);
  if (engine) {
    try {
      await ensureBusybox(engine.socket, workDir);
      const docker: Cli = { label: 'docker', cmd: 'docker', prefix: [], env: { DOCKER_HOST: `unix://${engine.socket}`, DOCKER_CONFIG: path.join(workDir, 'docker-config') } };
      const target: EngineTarget = { name: 'dockerd', socket: engine.socket, clis: [docker], runArgs: ['--network', 'none'], shim: { name: 'containerd-shim-runc-v2', mention: '' }, daemonPid: engine.pid, cgroupParent: engine.cgroupParent };
      reportLogThroughput(report, 'dockerd', docker, mb, await benchLogThroughput(target, docker, mb, rounds));
    } finally {
      await engine.stop();
    }
  } else {
    report.note('Docker Engine not installed: berthd only');
  }
  report.note(['', 'Ratios (medians):', ...logRatioLines(report)].join('\n'));
  report.print();
  fs.rmSync(workDir, { recursive: true, force: true });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`bench logs: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
