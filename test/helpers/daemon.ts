// Starts a real berthd on private temp roots for one test file, runs the docker and berth
// CLIs against it, and tears everything down again (containers, conmon, mounts, cgroups).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { run, describe, type RunOptions, type RunResult } from './exec';
import { apiRequest, waitForPing, type ApiRequestOptions, type ApiResponse } from './api';
import { forceCleanup, mountsUnder, conmonProcessesMentioning, type MountEntry, type ProcessEntry } from './cleanup';

/** The repository root (this file runs from dist/test/helpers/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface StartDaemonOptions {
  seedBusybox?: boolean; // default true
  logLevel?: string; // default "debug" (the log is only read when a test fails)
  extraArgs?: string[];
  startTimeoutMs?: number; // default 60 s: the first start seeds busybox
}

export interface Leftovers { mounts: MountEntry[]; conmons: ProcessEntry[] }

export interface TestDaemon {
  readonly tmpRoot: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly socket: string;
  readonly dockerHost: string; // unix://<socket>
  readonly cgroupParent: string;
  /** berthd's pid, undefined while stopped. */
  readonly pid: number | undefined;
  /** Runs any command with DOCKER_HOST and BERTH_HOST pointing at this daemon. */
  run(cmd: string, args: string[], options?: RunOptions): Promise<RunResult>;
  docker(args: string[], options?: RunOptions): Promise<RunResult>;
  berth(args: string[], options?: RunOptions): Promise<RunResult>;
  /** Like docker()/berth() but throws (with the full output) unless the exit code is 0; returns stdout. */
  dockerOk(args: string[], options?: RunOptions): Promise<string>;
  berthOk(args: string[], options?: RunOptions): Promise<string>;
  api(method: string, urlPath: string, options?: ApiRequestOptions): Promise<ApiResponse>;
  /** SIGTERM and wait for exit (SIGKILL after 15 s). Containers keep running. */
  stop(): Promise<void>;
  /** SIGKILL berthd, as a crash would. */
  kill9(): Promise<void>;
  /** Starts berthd again on the same roots (stopping it first if it runs). */
  restart(): Promise<void>;
  /** Overlay mounts below the temp root and conmon processes that mention it. */
  leftovers(): Leftovers;
  /** Everything berthd wrote to stdout/stderr since the first start. */
  log(): string;
  /** Stops berthd and removes every trace; throws when something could not be cleaned. */
  cleanup(): Promise<void>;
}

const live = new Set<TestDaemon>();
let exitHookInstalled = false;

export async function startDaemon(options: StartDaemonOptions = {}): Promise<TestDaemon> {
  const tmpRoot = fs.mkdtempSync('/tmp/berth-t-');
  const dataRoot = path.join(tmpRoot, 'data');
  const execRoot = path.join(tmpRoot, 'exec');
  const socket = path.join(tmpRoot, 'berth.sock');
  const dockerConfig = path.join(tmpRoot, 'docker-config');
  const logFile = path.join(tmpRoot, 'berthd.log');
  const cgroupParent = `berth-test-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(dockerConfig);
  const clientEnv = {
    DOCKER_HOST: `unix://${socket}`,
    BERTH_HOST: `unix://${socket}`,
    DOCKER_CONFIG: dockerConfig, // keep the user's ~/.docker (contexts, auth) out of the tests
    DOCKER_CLI_HINTS: 'false',
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const args = [
    '--single-threaded-gc', // as bin/berthd's shebang and npm start run it
    path.join(REPO_ROOT, 'bin', 'berthd'),
    '--data-root', dataRoot,
    '--exec-root', execRoot,
    '-H', `unix://${socket}`,
    '--cgroup-parent', cgroupParent,
    '--log-level', options.logLevel ?? 'debug',
    ...(options.seedBusybox === false ? [] : ['--seed-busybox']),
    ...(options.extraArgs ?? []),
  ];

  const launch = async (): Promise<void> => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n===== berthd start ${new Date().toISOString()}: node ${args.join(' ')}\n`);
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const proc = spawn(process.execPath, args, { stdio: ['ignore', out, out], env });
    fs.closeSync(out);
    child = proc;
    let running = true;
    exited = new Promise((resolve) => proc.once('exit', () => {
      running = false;
      if (child === proc) child = undefined;
      resolve();
    }));
    try {
      await waitForPing(socket, options.startTimeoutMs ?? 60_000, () => running);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- berthd log ---\n${tail(readLog(), 60)}`);
    }
  };

  const readLog = (): string => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  // BERTH_TEST_KEEP_LOGS=<dir> keeps each daemon's log after cleanup, for debugging.
  const keepLog = (): void => {
    const dir = process.env.BERTH_TEST_KEEP_LOGS;
    if (!dir || !fs.existsSync(logFile)) return;
    fs.mkdirSync(dir, { recursive: true });
    const name = `${path.basename(process.argv[1] ?? 'test', '.js')}-${path.basename(tmpRoot)}.log`;
    fs.copyFileSync(logFile, path.join(dir, name));
  };

  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> => {
    const proc = child;
    if (!proc) return true;
    proc.kill(signal);
    const done = await Promise.race([exited.then(() => true), delay(timeoutMs).then(() => false)]);
    return done;
  };

  const runClient = (cmd: string, cmdArgs: string[], opts: RunOptions = {}): Promise<RunResult> =>
    run(cmd, cmdArgs, { ...opts, env: { ...clientEnv, ...opts.env } });
  const berthArgs = (cmdArgs: string[]): string[] => [path.join(REPO_ROOT, 'bin', 'berth'), ...cmdArgs];
  const mustSucceed = async (cmd: string, cmdArgs: string[], result: Promise<RunResult>): Promise<string> => {
    const r = await result;
    if (r.code !== 0) throw new Error(`command failed\n${describe(cmd, cmdArgs, r)}\n--- berthd log (tail) ---\n${tail(readLog(), 25)}`);
    return r.stdout;
  };

  const daemon: TestDaemon = {
    tmpRoot, dataRoot, execRoot, socket, cgroupParent,
    dockerHost: `unix://${socket}`,
    get pid() { return child?.pid; },
    run: runClient,
    docker: (a, o) => runClient('docker', a, o),
    berth: (a, o) => runClient(process.execPath, berthArgs(a), o),
    dockerOk: (a, o) => mustSucceed('docker', a, runClient('docker', a, o)),
    berthOk: (a, o) => mustSucceed('berth', a, runClient(process.execPath, berthArgs(a), o)),
    api: (method, urlPath, o) => apiRequest(socket, method, urlPath, o),
    async stop() {
      if (!(await signalAndWait('SIGTERM', 15_000))) await signalAndWait('SIGKILL', 5_000);
    },
    async kill9() {
      await signalAndWait('SIGKILL', 5_000);
    },
    async restart() {
      await daemon.stop();
      await launch();
    },
    leftovers() {
      return {
        mounts: mountsUnder([tmpRoot]).filter((m) => m.fstype === 'overlay'),
        conmons: conmonProcessesMentioning(tmpRoot),
      };
    },
    log: readLog,
    async cleanup() {
      if (!live.has(daemon)) return;
      live.delete(daemon);
      await daemon.stop();
      keepLog();
      const problems = forceCleanup({ tmpRoot, runcRoot: path.join(execRoot, 'runc'), cgroupParent });
      if (problems.length) throw new Error(`test daemon cleanup incomplete:\n${problems.join('\n')}`);
    },
  };

  live.add(daemon);
  installExitHook();
  try {
    await launch();
  } catch (err) {
    await daemon.cleanup().catch(() => undefined);
    throw err;
  }
  return daemon;
}

/** Last resort when a test file exits without its after() hooks: kill and clean synchronously. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const d of live) {
      if (d.pid) {
        try {
          process.kill(d.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      forceCleanup({ tmpRoot: d.tmpRoot, runcRoot: path.join(d.execRoot, 'runc'), cgroupParent: d.cgroupParent });
    }
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}
