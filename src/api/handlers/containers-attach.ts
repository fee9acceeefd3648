// POST /containers/{name}/attach: hijack the connection and stream the container's
// output (the log first with logs=1, then live output with stream=1). Stdin is the
// next milestone: bytes the client sends are read and dropped, never blocking.
import type { RequestContext } from '../context';
import type { LogRecord } from '../../container/types';
import { NotImplementedError } from '../../errors';
import { queryBool } from '../http-util';
import { recordEncoder, streamContentType } from '../streams/mux';
import { hijack, socketSignal } from '../streams/hijack';
import { pipeRecords } from './containers-logs';

export async function attachContainer(ctx: RequestContext): Promise<void> {
  const { query, backend } = ctx;
  const container = backend.containers.get(ctx.params.name);
  const logs = queryBool(query, 'logs');
  const stream = queryBool(query, 'stream');
  const stdout = queryBool(query, 'stdout');
  const stderr = queryBool(query, 'stderr');
  const tty = container.config.Tty;

  const { signal, dispose } = socketSignal(ctx.socket, ctx.signal);
  // Subscribe to live output before anything else so nothing produced meanwhile is lost.
  const live = stream ? backend.containers.attachOutput(container.id, signal) : undefined;
  const socket = hijack(ctx, streamContentType(tty, ctx.version));
  socket.on('data', () => undefined); // stdin: not wired yet, drained so the peer never blocks
  socket.resume();
  const encode = recordEncoder({ tty, stdout, stderr });
  const write = (record: LogRecord) => {
    const bytes = encode(record);
    if (bytes && !socket.destroyed) socket.write(bytes);
  };
  try {
    if (logs && (stdout || stderr)) {
      await pipeRecords(backend.containers.logs(container.id, { stdout, stderr, follow: false }, signal), write, signal);
    }
    if (live) await pipeRecords(live, write, signal);
  } finally {
    live?.destroy();
    dispose();
    if (!socket.destroyed) socket.end();
  }
}

/** GET /containers/{name}/attach/ws */
export function attachWebsocket(): never {
  throw new NotImplementedError('attach over websocket is not implemented in Berth yet');
}
