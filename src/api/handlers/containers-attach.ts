// POST /containers/{name}/attach: hijack the connection, replay the log (logs=1), then
// stream the container's stdio through conmon's attach socket (stream=1): output as
// frames (raw with a TTY), the client's bytes as stdin, its half-close as end of stdin.
import type { RequestContext } from '../context';
import type { AttachSession } from '../../container/types';
import { NotImplementedError } from '../../errors';
import { queryBool } from '../http-util';
import { recordEncoder, streamContentType } from '../streams/mux';
import { hijack, socketSignal } from '../streams/hijack';
import { pipeRecordsTo } from '../streams/records';
import { connectStdin } from '../streams/stdin';

export async function attachContainer(ctx: RequestContext): Promise<void> {
  const { query, backend } = ctx;
  const container = backend.containers.get(ctx.params.name);
  const logs = queryBool(query, 'logs');
  const stream = queryBool(query, 'stream');
  const stdin = queryBool(query, 'stdin');
  const stdout = queryBool(query, 'stdout');
  const stderr = queryBool(query, 'stderr');
  const tty = container.config.Tty;

  // Opened before the hijack so bad input (detach keys) is still a plain HTTP error,
  // and before any output is produced so none is lost.
  const session: AttachSession | undefined = stream
    ? await backend.containers.attach(container.id, { stdin, stdout, stderr, detachKeys: query.get('detachKeys') ?? undefined })
    : undefined;
  const { signal, dispose } = socketSignal(ctx.socket, ctx.signal);
  const socket = hijack(ctx, streamContentType(tty, ctx.version));
  const disconnectStdin = connectStdin(socket, session?.stdin);
  const encode = recordEncoder({ tty, stdout, stderr });
  try {
    if (logs && (stdout || stderr)) {
      await pipeRecordsTo(backend.containers.logs(container.id, { stdout, stderr, follow: false }, signal), encode, socket, signal);
    }
    if (session) await pipeRecordsTo(session.output, encode, socket, signal);
  } finally {
    disconnectStdin();
    session?.close();
    dispose();
    if (!socket.destroyed) socket.end();
  }
}

/** GET /containers/{name}/attach/ws */
export function attachWebsocket(): never {
  throw new NotImplementedError('attach over websocket is not implemented in Berth yet');
}
