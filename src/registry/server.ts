// The registry's HTTP(S) server: per request, match the endpoint, enforce limits, read-only
// mode and authorization, then hand over to the endpoint's handler. One log line per request.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { log } from '../util/logger';
import { scopeString, type Access } from './auth/access';
import { BasicAuthorizer, OpenAuthorizer, TokenAuthorizer, type Authorizer, type Identity } from './auth/authorizer';
import { Htpasswd } from './auth/htpasswd';
import { JwtSigner } from './auth/jwt';
import { TokenIssuer } from './auth/token-issuer';
import { RegistryError } from './errors';
import { deleteBlob, getBlob } from './http/blobs';
import { catalog, listTags, referrers } from './http/discovery';
import type { Exchange, Storage } from './http/exchange';
import { deleteManifest, getManifest, putManifest } from './http/manifests';
import { METHODS, matchRoute, notFound, type Route } from './http/routes';
import { sendError, sendJson } from './http/respond';
import { handleTokenRequest } from './http/token';
import { cancelUpload, patchUpload, putUpload, startUpload, uploadStatus } from './http/uploads';
import { parseAddr, TOKEN_PATH, type RegistryOptions } from './options';
import { openStorage } from './storage/open';

type Handler = (x: Exchange) => Promise<void>;

const HANDLERS: Record<string, Handler> = {
  'manifest GET': getManifest, 'manifest HEAD': getManifest, 'manifest PUT': putManifest, 'manifest DELETE': deleteManifest,
  'blob GET': getBlob, 'blob HEAD': getBlob, 'blob DELETE': deleteBlob,
  'uploads POST': startUpload,
  'upload GET': uploadStatus, 'upload PATCH': patchUpload, 'upload PUT': putUpload, 'upload DELETE': cancelUpload,
  'tags GET': listTags, 'referrers GET': referrers,
};

const READS = ['GET', 'HEAD'];

/** The access a request needs (token scopes): pull to read, push to write, delete to delete. */
function neededAccess(route: Route, method: string): Access[] {
  if (route.kind === 'base') return [];
  if (route.kind === 'catalog') return [{ type: 'registry', name: 'catalog', actions: ['*'] }];
  const name = route.name as string;
  if (READS.includes(method)) return [{ type: 'repository', name, actions: ['pull'] }];
  if (method === 'DELETE' && route.kind !== 'upload') return [{ type: 'repository', name, actions: ['delete'] }];
  return [{ type: 'repository', name, actions: ['pull', 'push'] }];
}

export interface RunningRegistry {
  server: http.Server;
  /** "http://127.0.0.1:PORT" (or https). */
  url: string;
  port: number;
  close(): Promise<void>;
}

function buildAuth(o: RegistryOptions): { authorizer: Authorizer; issuer?: TokenIssuer } {
  const htpasswd = o.htpasswd ? new Htpasswd(o.htpasswd) : undefined;
  if (o.auth === 'htpasswd') {
    if (!htpasswd) throw new Error('--htpasswd FILE is required for htpasswd auth');
    return { authorizer: new BasicAuthorizer(htpasswd) };
  }
  if (o.auth === 'token') {
    const signer = new JwtSigner(o.tokenKey);
    const scheme = o.tlsCert ? 'https' : 'http';
    const realm = (req: http.IncomingMessage) => o.tokenRealm ?? `${scheme}://${req.headers.host ?? o.addr}${TOKEN_PATH}`;
    return {
      authorizer: new TokenAuthorizer({ signer, issuer: o.tokenIssuer, service: o.tokenService, realm }),
      issuer: new TokenIssuer(signer, o.tokenIssuer, o.tokenService, htpasswd),
    };
  }
  return { authorizer: new OpenAuthorizer() };
}

export async function startRegistry(o: RegistryOptions): Promise<RunningRegistry> {
  const storage: Storage = await openStorage(o.root);
  const { authorizer, issuer } = buildAuth(o);
  let inFlight = 0;

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, who: { user?: string }): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    const method = req.method ?? 'GET';
    if (issuer && url.pathname === TOKEN_PATH) return handleTokenRequest(req, res, url, issuer);
    const route = matchRoute(url.pathname);
    if (!route) throw notFound(url.pathname);
    const allowed = METHODS[route.kind];
    if (!allowed.includes(method)) {
      throw new RegistryError('UNSUPPORTED', { message: `${method} is not supported here`, headers: { Allow: allowed.join(', ') } });
    }
    const needed = neededAccess(route, method);
    const identity: Identity = await authorizer.authorize(req, needed);
    who.user = identity.user;
    if (o.readOnly && !READS.includes(method)) {
      throw new RegistryError('DENIED', { message: 'requested access to the resource is denied: the registry is read-only', detail: needed.map(scopeString) });
    }
    if (route.kind === 'base') return sendJson(res, 200, {});
    if (route.kind === 'catalog') return catalog({ req, res, url, route: { ...route, name: '', ref: '' }, identity, storage });
    const handler = HANDLERS[`${route.kind} ${method}`];
    await handler({ req, res, url, route: { ...route, name: route.name as string, ref: route.ref ?? '' }, identity, storage });
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const started = process.hrtime.bigint();
    const who: { user?: string } = {};
    let sent = 0;
    const count = (chunk: unknown) => {
      if (chunk && typeof chunk !== 'function' && typeof (chunk as Buffer).length === 'number') sent += (chunk as Buffer).length;
    };
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      count(chunk);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      count(chunk);
      return (end as (...a: unknown[]) => http.ServerResponse)(chunk, ...rest);
    }) as typeof res.end;
    res.on('close', () => {
      inFlight--;
      if (!o.logRequests) return;
      log.info('request', {
        method: req.method, uri: req.url, status: res.statusCode, bytes_out: sent, complete: res.writableFinished,
        duration_ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000, remote: req.socket.remoteAddress, user: who.user ?? '',
      });
    });
    inFlight++;
    if (inFlight > o.maxRequests) {
      sendError(req, res, new RegistryError('TOOMANYREQUESTS', { headers: { 'Retry-After': '1' }, detail: { limit: o.maxRequests } }));
      return;
    }
    serve(req, res, who).catch((err: unknown) => {
      if (!(err instanceof RegistryError)) log.error('request failed', { uri: req.url, error: (err as Error)?.stack ?? String(err) });
      sendError(req, res, err);
    });
  };

  const server = o.tlsCert || o.tlsKey
    ? https.createServer({ cert: fs.readFileSync(requireFlag(o.tlsCert, '--tls-cert')), key: fs.readFileSync(requireFlag(o.tlsKey, '--tls-key')) }, onRequest)
    : http.createServer(onRequest);
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0; // uploads of large blobs may take long
  const { host, port } = parseAddr(o.addr);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    port: bound,
    url: `${o.tlsCert ? 'https' : 'http'}://${shownHost}:${bound}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function requireFlag(value: string | undefined, flag: string): string {
  if (!value) throw new Error(`TLS needs both --tls-cert and --tls-key (${flag} missing)`);
  return value;
}
