// The HTTP front: node:http servers on unix sockets, version prefix handling,
// routing, common headers, and error encoding. Handlers stay free of plumbing.
import * as http from 'node:http';
import type * as net from 'node:net';
import type { ApiBackend, RequestContext } from './context';
import { Router, type Route } from './router';
import { API_VERSION, splitVersion } from './version';
import { sendError } from './errors';
import { setUpgradeBody } from './http-util';
import { isHijacked } from './streams/hijack';
import { NotFoundError } from '../errors';
import { log } from '../util/logger';

export interface ApiDispatcher {
  /** Handle one request (`upgrade` when it came through the upgrade event). */
  dispatch(req: http.IncomingMessage, res: http.ServerResponse, socket: net.Socket, upgrade: boolean): Promise<void>;
}

export function createDispatcher(backend: ApiBackend, routes: Route[]): ApiDispatcher {
  const router = new Router(routes);
  const serverHeader = `Berth/${backend.system.version} (linux)`;

  async function dispatch(req: http.IncomingMessage, res: http.ServerResponse, socket: net.Socket, upgrade: boolean): Promise<void> {
    const started = process.hrtime.bigint();
    const ctl = new AbortController();
    const onClose = () => { if (!res.writableFinished) ctl.abort(); };
    res.once('close', onClose);
    // Docker's middleware stamps these on every response.
    res.setHeader('Api-Version', API_VERSION);
    res.setHeader('Ostype', 'linux');
    res.setHeader('Server', serverHeader);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://berth');
    try {
      const { version, path } = splitVersion(url.pathname);
      const match = router.match(method, path);
      if (!match) {
        req.resume();
        throw new NotFoundError('page not found');
      }
      const ctx: RequestContext = {
        req, res, socket, upgrade,
        params: match.params,
        query: url.searchParams,
        version,
        signal: ctl.signal,
        backend,
      };
      await match.handler(ctx);
    } catch (err) {
      if (isHijacked(socket)) socket.destroy();
      else sendError(res, err);
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug('request', { method, path: url.pathname + url.search, status: isHijacked(socket) ? 101 : res.statusCode, ms: Math.round(ms * 10) / 10 });
    }
  }
  return { dispatch };
}

/** One node:http server bound to the dispatcher; hijacked sockets are tracked for shutdown. */
export function createHttpServer(dispatcher: ApiDispatcher): { server: http.Server; sockets: Set<net.Socket> } {
  const sockets = new Set<net.Socket>();
  const server = http.createServer();
  // Long streams (events, logs -f, attach, big image loads) must not be cut by node's defaults.
  server.requestTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void dispatcher.dispatch(req, res, req.socket, false);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    // Node hands the raw socket over with the request body still on it (exec start sends
    // one): take Content-Length bytes off first, the rest is the client's stream.
    const length = Number.parseInt(String(req.headers['content-length'] ?? '0'), 10) || 0;
    void takeBytes(socket, head, length).then((body) => {
      setUpgradeBody(req, body);
      dispatchUpgrade(req, socket);
    }, () => socket.destroy());
  });
  const dispatchUpgrade = (req: http.IncomingMessage, socket: net.Socket) => {
    const res = new http.ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => { if (!isHijacked(socket)) socket.end(); });
    void dispatcher.dispatch(req, res, socket, true);
  };
  server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
    // After a hijack the client's stdin bytes reach node's parser; that is not an error.
    if (isHijacked(socket)) return;
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return { server, sockets };
}

const MAX_UPGRADE_BODY = 1024 * 1024;

/** Reads exactly `length` bytes (starting with `head`) off the socket; what follows is unshifted back. */
function takeBytes(socket: net.Socket, head: Buffer, length: number): Promise<Buffer> {
  if (length > MAX_UPGRADE_BODY) return Promise.reject(new Error('upgrade request body too large'));
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    const chunks = [head];
    let have = head.length;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      if (have < length) return;
      cleanup();
      socket.pause();
      const all = Buffer.concat(chunks);
      if (all.length > length) socket.unshift(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    const onEnd = () => { cleanup(); reject(new Error('connection closed inside the request body')); };
    const cleanup = () => { socket.off('data', onData); socket.off('end', onEnd); socket.off('close', onEnd); };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
  });
}
