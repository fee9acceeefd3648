// One short-lived command inside a running container (health probes): `runc exec` with a
// process.json derived from the container's own process (capabilities, rlimits, user, cwd,
// env), output collected from both streams into one bounded buffer. The process runc starts
// is a session leader inside the container (pid from --pid-file): a timeout SIGKILLs its
// process group and runc's own.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import { ConflictError } from '../errors';
import type { OciProcess, OciSpec } from './spec/types';
import type { ProbeOptions, ProbeResult } from './types';

/** Docker keeps at most 4096 bytes of probe output, then appends "...". */
export const MAX_PROBE_OUTPUT = 4096;

export interface ProbeRunnerOptions {
  runtimePath: string;
  runtimeRoot: string;
  scratchDir: string; // process.json files live here while a probe runs
  /** The container's bundle dir (config.json), from the runtime's records or `runc state`. */
  bundleOf: (id: string) => Promise<string | undefined>;
}

class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;

  push(data: Buffer): void {
    const keep = Math.min(MAX_PROBE_OUTPUT - this.size, data.length);
    if (keep > 0) { this.chunks.push(data.subarray(0, keep)); this.size += keep; }
    if (keep < data.length) this.truncated = true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8') + (this.truncated ? '...' : '');
  }
}

/** The error message runc logged (JSON log lines), if any. */
function runcError(logFile: string): string | undefined {
  let text = '';
  try { text = readFileSync(logFile, 'utf8'); } catch { return undefined; }
  let message: string | undefined;
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if ((entry.level === 'error' || entry.level === 'fatal') && entry.msg) message = entry.msg;
    } catch { /* partial line */ }
  }
  return message;
}

export async function runProbe(o: ProbeRunnerOptions, id: string, argv: string[], opts: ProbeOptions): Promise<ProbeResult> {
  const bundle = await o.bundleOf(id);
  if (!bundle) throw new ConflictError(`Container ${id} is not running`);
  const spec = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as OciSpec;
  const process: OciProcess = {
    ...spec.process,
    terminal: false,
    args: argv,
    env: opts.env ?? spec.process.env,
    cwd: opts.cwd ?? spec.process.cwd,
    user: opts.user ?? spec.process.user,
  };
  delete process.oomScoreAdj; // a process-wide setting runc exec refuses to change
  mkdirSync(o.scratchDir, { recursive: true, mode: 0o700 });
  const base = path.join(o.scratchDir, `${id.slice(0, 12)}-${randomBytes(6).toString('hex')}`);
  const processFile = `${base}.json`;
  const logFile = `${base}.log`;
  const pidFile = `${base}.pid`;
  writeFileSync(processFile, JSON.stringify(process), { mode: 0o600 });
  try {
    const args = ['--root', o.runtimeRoot, '--log', logFile, '--log-format', 'json', 'exec', '--pid-file', pidFile, '--process', processFile, id];
    return await execute(o, args, opts.timeoutMs, logFile, pidFile);
  } finally {
    for (const f of [processFile, logFile, pidFile]) rmSync(f, { force: true });
  }
}

function killGroup(pid: number): void {
  if (!(pid > 1)) return;
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

function execute(o: ProbeRunnerOptions, args: string[], timeoutMs: number, logFile: string, pidFile: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.runtimePath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output = new BoundedOutput();
    child.stdout.on('data', (d: Buffer) => output.push(d));
    child.stderr.on('data', (d: Buffer) => output.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      let execPid = 0;
      try { execPid = parseInt(readFileSync(pidFile, 'utf8'), 10); } catch { /* not started yet */ }
      killGroup(execPid);
      killGroup(child.pid as number);
    }, timeoutMs);
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) { resolve({ exitCode: -1, output: output.text(), timedOut: true }); return; }
      // 255 with an error in runc's log: the process never started (missing binary...).
      const failure = code === 255 ? runcError(logFile) : undefined;
      if (failure) { resolve({ exitCode: -1, output: `OCI runtime exec failed: ${failure}: unknown`, timedOut: false, startFailed: true }); return; }
      resolve({ exitCode: code ?? 128 + (signal ? signalNumber(signal) : 0), output: output.text(), timedOut: false });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal] ?? 0;
}
