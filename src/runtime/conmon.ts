// Launch one conmon for a container (the way Podman drives conmon 2.1): conmon forks,
// runs `runc create`, and reports the container PID (or runc's error) as one JSON line
// on the sync pipe (fd 3). fd 4 is the start pipe: conmon waits for one byte on it.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { logrusMessage } from './runc';

export interface ConmonLaunch {
  conmonPath: string;
  runtimePath: string;
  runtimeRoot: string;
  id: string;
  bundleDir: string;
  pidFile: string;
  conmonPidFile: string;
  exitDir: string;
  persistDir: string;
  socketDir: string;
  logPath: string;
  logLevel: string;
  tty: boolean;
  openStdin: boolean;
  leaveStdinOpen: boolean;
  logSizeMax?: number;
  noLog?: boolean;
}

/** conmon or runc refused to create the container; `message` is runc's own text. */
export class CreateFailedError extends Error {
  constructor(message: string) { super(message); this.name = 'CreateFailedError'; }
}

export function conmonArgs(o: ConmonLaunch): string[] {
  const args = [
    '--api-version', '1', '-c', o.id, '-u', o.id, '-r', o.runtimePath, '-b', o.bundleDir,
    '-p', o.pidFile, '-n', o.id, '--exit-dir', o.exitDir, '--persist-dir', o.persistDir,
    '--full-attach', '--socket-dir-path', o.socketDir, '-l', o.noLog ? 'none:' : `k8s-file:${o.logPath}`,
    '--log-level', o.logLevel, '--conmon-pidfile', o.conmonPidFile, '--no-sync-log',
    '--runtime-arg', `--root=${o.runtimeRoot}`,
  ];
  if (o.tty) args.push('-t');
  if (o.openStdin) args.push('-i');
  if (o.openStdin && o.leaveStdinOpen) args.push('--leave-stdin-open');
  if (o.logSizeMax !== undefined && o.logSizeMax > 0) args.push('--log-size-max', String(o.logSizeMax));
  return args;
}

/** Resolves with the container's host PID once `runc create` succeeded. */
export function launchConmon(o: ConmonLaunch): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.conmonPath, conmonArgs(o), {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' },
      // conmon 2.1.6 also writes its "oom" file relative to its cwd (Podman runs it in the bundle).
      cwd: o.bundleDir,
      detached: true,
    });
    const stderr = child.stderr as Readable;
    const sync = child.stdio[3] as Readable;
    const startPipe = child.stdio[4] as Writable;
    let errText = '';
    let syncText = '';
    let settled = false;
    const finish = (err: Error | undefined, pid?: number) => {
      if (settled) return;
      settled = true;
      sync.destroy();
      startPipe.destroy();
      stderr.destroy();
      child.unref();
      if (err) reject(err); else resolve(pid as number);
    };
    stderr.on('data', (d: Buffer) => { errText += d.toString(); });
    stderr.on('error', () => { /* conmon closes its end when it daemonizes */ });
    startPipe.on('error', () => { /* conmon exited early; reported through exit */ });
    sync.on('error', () => { /* reported through exit */ });
    sync.on('data', (d: Buffer) => {
      syncText += d.toString();
      const nl = syncText.indexOf('\n');
      if (nl < 0) return;
      try {
        const msg = JSON.parse(syncText.slice(0, nl)) as { data: number; message?: string };
        if (msg.data > 0) finish(undefined, msg.data);
        else finish(new CreateFailedError(logrusMessage(msg.message ?? '') || `conmon reported ${msg.data}`));
      } catch (err) {
        finish(new CreateFailedError(`malformed conmon sync message: ${syncText.slice(0, nl)}`));
      }
    });
    sync.on('end', () => {
      // The intermediate conmon exits at once; only a closed sync pipe means it gave up.
      setImmediate(() => finish(new CreateFailedError(errText.trim() || 'conmon exited without reporting the container PID')));
    });
    child.on('error', (err) => finish(err));
    child.on('exit', (code) => {
      if (code !== 0) finish(new CreateFailedError(errText.trim() || `conmon exited with status ${code}`));
    });
    startPipe.write('0');
  });
}
