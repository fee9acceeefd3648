// An exec session under its own conmon (`conmon -e`): conmon runs `runc exec`, keeps the
// process's stdio (attach socket, terminal, ctl fifo in the session dir) and reports the
// PID and later the exit code on the sync pipe. With attach, conmon first reports on the
// attach pipe (fd 5) that its socket is listening and waits for a second byte on the
// start pipe, so a client connected in between sees every byte of output.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { logrusMessage } from './runc';
import { readSyncMessages } from './sync-pipe';
import type { OciProcess } from './spec';

export interface ConmonExecLaunch {
  conmonPath: string;
  runtimePath: string;
  runtimeRoot: string;
  containerId: string;
  execId: string;
  dir: string; // session dir: process.json, attach socket, ctl fifo, pid and exit files
  socketDir: string;
  logLevel: string;
  process: OciProcess;
  openStdin: boolean;
  attach: boolean;
}

export interface ConmonExecSession {
  /** Attach mode: resolves when the attach socket listens; connect, then call begin(). */
  readonly ready: Promise<void>;
  /** Lets the process start (attach mode; a no-op otherwise). */
  begin(): void;
  /** The process's host PID once runc exec succeeded; rejects with runc's message. */
  readonly pid: Promise<number>;
  /** Exit code once the process ended (and conmon drained its output). */
  readonly exit: Promise<number>;
  /** Gives up on a session that was never begun (the client went away). */
  abort(): void;
}

export class ExecFailedError extends Error {
  constructor(message: string) { super(message); this.name = 'ExecFailedError'; }
}

export function conmonExecArgs(o: ConmonExecLaunch): string[] {
  const args = [
    '--api-version', '1', '-c', o.containerId, '-u', o.execId, '-r', o.runtimePath, '-b', o.dir,
    '-p', path.join(o.dir, 'pid'), '-n', o.containerId, '--exit-dir', o.dir, '--persist-dir', o.dir,
    '--full-attach', '--socket-dir-path', o.socketDir, '-l', 'none', '--log-level', o.logLevel,
    '--conmon-pidfile', path.join(o.dir, 'conmon.pid'), '--no-sync-log',
    '-e', '--exec-process-spec', path.join(o.dir, 'process.json'),
    '--runtime-arg', `--root=${o.runtimeRoot}`,
  ];
  if (o.attach) args.push('--exec-attach');
  if (o.process.terminal) args.push('-t');
  if (o.openStdin) args.push('-i');
  return args;
}

export function launchConmonExec(o: ConmonExecLaunch): ConmonExecSession {
  writeFileSync(path.join(o.dir, 'process.json'), JSON.stringify(o.process), { mode: 0o600 });
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'];
  const env: NodeJS.ProcessEnv = { ...process.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' };
  if (o.attach) { stdio.push('pipe'); env._OCI_ATTACHPIPE = '5'; }
  const child = spawn(o.conmonPath, conmonExecArgs(o), { stdio, env, detached: true });
  child.unref();
  const stderr = child.stderr as Readable;
  const sync = child.stdio[3] as Readable;
  const startPipe = child.stdio[4] as Writable;
  const attachPipe = o.attach ? (child.stdio as unknown as Readable[])[5] : undefined;

  let errText = '';
  stderr.on('data', (d: Buffer) => { errText += d.toString(); });
  stderr.on('error', () => undefined);
  startPipe.on('error', () => undefined);

  const deferred = <T>() => {
    let resolve!: (v: T) => void; let reject!: (e: Error) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => undefined);
    return { promise, resolve, reject };
  };
  const ready = deferred<void>();
  const pid = deferred<number>();
  const exit = deferred<number>();
  let pidKnown = false;
  let exitKnown = false;
  const failure = (fallback: string) => new ExecFailedError(logrusMessage(errText).trim() || fallback);

  const closeAll = () => {
    sync.destroy(); startPipe.destroy(); stderr.destroy(); attachPipe?.destroy();
  };
  readSyncMessages(sync, (msg) => {
    if (!pidKnown) {
      pidKnown = true;
      if (msg.data > 0) { pid.resolve(msg.data); return; }
      const err = new ExecFailedError(logrusMessage(msg.message ?? '').trim() || `conmon reported ${msg.data}`);
      pid.reject(err); exit.reject(err); ready.reject(err);
      exitKnown = true;
      closeAll();
      return;
    }
    exitKnown = true;
    exit.resolve(msg.data);
    closeAll();
  }, (err) => {
    const e = err ?? failure('conmon exited without reporting the exec result');
    if (!pidKnown) { pidKnown = true; pid.reject(e); }
    if (!exitKnown) { exitKnown = true; exit.reject(e); }
    ready.reject(e);
    closeAll();
  });

  if (attachPipe) {
    readSyncMessages(attachPipe, (msg) => {
      if (msg.data === 0) ready.resolve();
      else ready.reject(new ExecFailedError(msg.message ?? `conmon attach setup failed (${msg.data})`));
    }, () => ready.reject(failure('conmon exited before its attach socket was ready')));
  } else {
    ready.resolve();
  }
  child.on('error', (err) => {
    const e = new ExecFailedError(`failed to start conmon: ${err.message}`);
    pid.reject(e); exit.reject(e); ready.reject(e);
  });
  startPipe.write('0');

  let begun = !o.attach;
  return {
    ready: ready.promise,
    pid: pid.promise,
    exit: exit.promise,
    begin() {
      if (begun) return;
      begun = true;
      startPipe.write('1');
    },
    abort() {
      if (begun) return;
      begun = true;
      // conmon's runc child is waiting on the start pipe; closing it makes the read
      // return 0 and it goes on — so start the process with nobody attached instead
      // of leaving a conmon behind.
      startPipe.end('1');
    },
  };
}
