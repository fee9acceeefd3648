// Runs a client command (docker, berth, python3, sh...) and collects its output, with a
// hard timeout so a hung client fails the test instead of hanging the whole run.
import { spawn } from 'node:child_process';

export interface RunOptions {
  /** Bytes written to the child's stdin (then stdin is closed). */
  input?: string | Buffer;
  /** Kill the child (SIGKILL) after this many ms; default 60 s. */
  timeoutMs?: number;
  /** Extra environment; `undefined` values remove a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface RunResult {
  code: number; // exit status, or 128 + signal number when killed by a signal
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
  timedOut: boolean;
  durationMs: number;
}

/** The parent's environment minus variables that leak test-runner or client state into children. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // node --test marks its children; a spawned daemon or CLI must not think it is a test file.
  delete env.NODE_TEST_CONTEXT;
  for (const key of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: cleanEnv(options.env), cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // the child may exit before reading its input
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({
        code: code ?? 128 + (signal ? SIGNALS[signal] ?? 0 : 0),
        signal,
        stdout: stdoutBytes.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBytes,
        timedOut,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** A one-line description of a finished command, for assertion messages. */
export function describe(cmd: string, args: string[], result: RunResult): string {
  const shown = [cmd, ...args].map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  return `$ ${shown}\n-> exit ${result.code}${result.timedOut ? ' (timed out)' : ''}\n--- stdout ---\n${result.stdout}--- stderr ---\n${result.stderr}`;
}
