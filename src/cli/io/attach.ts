// Attach the CLI's stdio to a hijacked stream (container attach or exec start): output
// demultiplexed to stdout/stderr (raw with a TTY), optional stdin forwarding (raw
// terminal mode for -it, the detach keys recognised locally as docker does), and an
// orderly shutdown once the process has exited and its output has drained.
import { spawnSync } from 'node:child_process';
import type { Duplex } from 'node:stream';
import type { CommandContext } from '../command';
import type { HijackedConnection } from '../../client/http-client';
import { DetachKeyFilter, parseDetachKeys } from '../../util/detach-keys';
import { CliError } from '../errors';

export interface AttachStreams { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean; detachKeys?: string }

export interface AttachSession {
  /** Settles when the daemon closes the output stream. */
  output: Promise<void>;
  /** Resolves when the user typed the detach keys. */
  detached: Promise<void>;
  /** Wait for the output to end, giving up after `idleMs` without any data. */
  drain(idleMs: number): Promise<void>;
  close(): void;
}

export async function openAttach(ctx: CommandContext, id: string, s: AttachStreams): Promise<AttachSession> {
  const keys = detachKeys(s);
  const conn = await ctx.client().containers.attach(id, { stream: true, stdin: s.stdin, stdout: s.stdout, stderr: s.stderr, detachKeys: s.detachKeys });
  return attachStreams(ctx, conn, s, keys);
}

/** The detach key bytes (validated before anything is sent), or undefined without a TTY stdin. */
export function detachKeys(s: AttachStreams): Buffer | undefined {
  if (!s.stdin || !s.tty) return undefined;
  try {
    return parseDetachKeys(s.detachKeys);
  } catch (err) {
    throw new CliError((err as Error).message, 1);
  }
}

export async function attachStreams(ctx: CommandContext, conn: HijackedConnection, s: AttachStreams, keys?: Buffer): Promise<AttachSession> {
  const { demuxStream } = await import('../../client/streams');
  const socket: Duplex = conn.socket;
  let lastData = Date.now();
  socket.on('data', () => { lastData = Date.now(); });
  const raw = s.tty || conn.contentType.includes('raw-stream');
  const stdout = s.stdout ? ctx.stdout : null;
  const stderr = s.stderr ? (s.tty ? ctx.stdout : ctx.stderr) : null;
  let ended = false;
  const output = demuxStream(socket, stdout, stderr, raw).finally(() => { ended = true; });
  output.catch(() => undefined);

  let onDetach: () => void = () => {};
  const detached = new Promise<void>((resolve) => { onDetach = resolve; });
  const stdin = ctx.stdin;
  let rawMode = false;
  let forward: ((chunk: Buffer) => void) | undefined;
  let filter: DetachKeyFilter | undefined;
  if (s.stdin) {
    if (s.tty && stdin.isTTY) {
      stdin.setRawMode(true);
      rawMode = true;
      // libuv's raw mode keeps output post-processing (\n → \r\n); the container's
      // terminal already did that, so turn it off as docker's CLI does (restored with the mode).
      spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
    }
    const send = (chunk: Buffer) => { if (!socket.destroyed) socket.write(chunk); };
    if (keys) {
      filter = new DetachKeyFilter(keys, () => onDetach());
      filter.on('data', send);
      forward = (chunk) => { filter?.write(chunk); };
    } else {
      forward = send;
    }
    stdin.on('data', forward);
    // End of our stdin closes the process's stdin (a half-close, output keeps flowing).
    stdin.once('end', () => { if (!socket.destroyed) socket.end(); });
    stdin.resume();
  }

  const close = () => {
    if (rawMode) stdin.setRawMode(false);
    rawMode = false;
    if (forward) stdin.off('data', forward);
    if (s.stdin) stdin.pause();
    filter?.destroy();
    socket.destroy();
  };

  const drain = async (idleMs: number) => {
    while (!ended) {
      const idle = Date.now() - lastData;
      if (idle >= idleMs) break;
      await Promise.race([output.catch(() => undefined), new Promise((r) => setTimeout(r, idleMs - idle).unref())]);
    }
  };
  return { output, detached, drain, close };
}
