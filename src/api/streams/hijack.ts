// Connection hijacking for attach: Docker answers `Upgrade: tcp` with
// "101 UPGRADED" and then speaks raw bytes on the socket; without Upgrade it writes
// a bare "200 OK" head and streams until it closes the connection.
import type * as net from 'node:net';
import type { RequestContext } from '../context';

const hijacked = new WeakSet<net.Socket>();

export function isHijacked(socket: net.Socket): boolean {
  return hijacked.has(socket);
}

/** Take over the connection and write the response head; the caller owns the socket from now on. */
export function hijack(ctx: RequestContext, contentType: string): net.Socket {
  const { socket, res } = ctx;
  hijacked.add(socket);
  let head = ctx.upgrade
    ? `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n`
    : `HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\n`;
  // The headers every response carries (Api-Version, Server, Ostype) go out here too.
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${String(v)}\r\n`;
  }
  socket.write(head + '\r\n');
  socket.setNoDelay(true);
  socket.setTimeout(0);
  return socket;
}

/** An AbortSignal that fires when the hijacked peer goes away (or `parent` aborts). */
export function socketSignal(socket: net.Socket, parent: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  const abort = () => ctl.abort();
  socket.once('close', abort);
  socket.once('error', abort);
  parent.addEventListener('abort', abort, { once: true });
  if (socket.destroyed) ctl.abort();
  return {
    signal: ctl.signal,
    dispose: () => {
      socket.off('close', abort);
      socket.off('error', abort);
      parent.removeEventListener('abort', abort);
    },
  };
}
