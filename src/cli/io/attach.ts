// Attach the CLI's stdio to a container: output demultiplexed to stdout/stderr (raw
// with a TTY), optional stdin forwarding (raw terminal mode for -it), and an orderly
// shutdown once the container has exited and its output has drained.
import type { Duplex } from 'node:stream';
import type { CommandContext } from '../command';

export interface AttachStreams { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }

export interface AttachSession {
  /** Settles when the daemon closes the output stream. */
  output: Promise<void>;
  /** Wait for the output to end, giving up after `idleMs` without any data. */
  drain(idleMs: number): Promise<void>;
  close(): void;
}

export async function openAttach(ctx: CommandContext, id: string, s: AttachStreams): Promise<AttachSession> {
  const { demuxStream } = await import('../../client/streams');
  const conn = await ctx.client().containers.attach(id, { stream: true, stdin: s.stdin, stdout: s.stdout, stderr: s.stderr });
  const socket: Duplex = conn.socket;
  let lastData = Date.now();
  socket.on('data', () => { lastData = Date.now(); });
  const raw = s.tty || conn.contentType.includes('raw-stream');
  const stdout = s.stdout ? ctx.stdout : null;
  const stderr = s.stderr ? (s.tty ? ctx.stdout : ctx.stderr) : null;
  let ended = false;
  const output = demuxStream(socket, stdout, stderr, raw).finally(() => { ended = true; });
  output.catch(() => undefined);

  const stdin = ctx.stdin;
  let rawMode = false;
  if (s.stdin) {
    if (s.tty && stdin.isTTY) {
      stdin.setRawMode(true);
      rawMode = true;
    }
    stdin.on('data', (chunk: Buffer) => { if (!socket.destroyed) socket.write(chunk); });
    // End of our stdin closes the container's stdin (a half-close, output keeps flowing).
    stdin.once('end', () => { if (!socket.destroyed) socket.end(); });
    stdin.resume();
  }

  const close = () => {
    if (rawMode) stdin.setRawMode(false);
    if (s.stdin) stdin.pause();
    socket.destroy();
  };

  const drain = async (idleMs: number) => {
    while (!ended) {
      const idle = Date.now() - lastData;
      if (idle >= idleMs) break;
      await Promise.race([output.catch(() => undefined), new Promise((r) => setTimeout(r, idleMs - idle).unref())]);
    }
  };
  return { output, drain, close };
}
