// Public surface of the Docker Engine API adapter.
import type * as http from 'node:http';
import type * as net from 'node:net';
import * as fs from 'node:fs';
import type { ApiBackend } from './context';
import { createDispatcher, createHttpServer } from './server';
import { engineRoutes } from './routes';
import { listenUnix, parseHost } from './listener';
import { log } from '../util/logger';

export type { ApiBackend, RequestContext, Handler } from './context';
export type { SystemInfo } from './system-info';
export { goArch } from './system-info';
export { API_VERSION, MIN_API_VERSION } from './version';
export { STATUS_BY_KIND } from './errors';
export { parseHost } from './listener';

export interface ApiServer {
  /** Socket paths being served. */
  readonly paths: string[];
  /** Stop accepting, cut open connections (streams, attach), remove the socket files. */
  close(): Promise<void>;
}

/** Serve the Engine API for `backend` on every host (unix:///path). */
export async function startApiServer(backend: ApiBackend, hosts: string[]): Promise<ApiServer> {
  const dispatcher = createDispatcher(backend, engineRoutes());
  const targets = hosts.map(parseHost);
  const servers: Array<{ server: http.Server; sockets: Set<net.Socket>; path: string }> = [];
  const close = async () => {
    await Promise.all(servers.map(({ server, sockets, path }) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      fs.rmSync(path, { force: true });
    })));
  };
  try {
    for (const target of targets) {
      const { server, sockets } = createHttpServer(dispatcher);
      await listenUnix(server, target.path);
      servers.push({ server, sockets, path: target.path });
      log.info(`API listen on ${target.path}`);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { paths: servers.map((s) => s.path), close };
}
