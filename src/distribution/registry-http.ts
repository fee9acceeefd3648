// One HTTP(S) exchange with a registry: keep-alive agents, streamed bodies,
// redirects followed for GET/HEAD (blob storage often redirects elsewhere; the
// Authorization header is dropped when the host changes).
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { UnavailableError, errorMessage } from '../errors';

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
  httpsInsecure: new https.Agent({ keepAlive: true, maxSockets: 32, rejectUnauthorized: false }),
};

export interface SendOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** TLS without certificate verification (insecure registries). */
  insecure?: boolean;
  signal?: AbortSignal;
  followRedirects?: boolean;
}

const MAX_REDIRECTS = 5;

/** Transport failures (refused, reset, TLS) as opposed to HTTP answers. */
export class TransportError extends UnavailableError {
  constructor(readonly method: string, readonly url: string, override readonly cause: unknown) {
    super(`${method[0]}${method.slice(1).toLowerCase()} "${url}": ${errorMessage(cause)}`);
  }
}

function sendOnce(o: SendOptions): Promise<http.IncomingMessage> {
  const url = new URL(o.url);
  const isHttps = url.protocol === 'https:';
  const mod = isHttps ? https : http;
  const agent = isHttps ? (o.insecure ? agents.httpsInsecure : agents.https) : agents.http;
  const headers: Record<string, string | number> = { 'User-Agent': 'berth/0.1 (registry client)', ...o.headers };
  if (Buffer.isBuffer(o.body)) headers['Content-Length'] = o.body.length;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: o.method, headers, agent, signal: o.signal }, resolve);
    req.on('error', (err) => reject(new TransportError(o.method, o.url, err)));
    if (o.body === undefined || Buffer.isBuffer(o.body)) {
      req.end(o.body);
      return;
    }
    const body = o.body;
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}

export async function send(o: SendOptions): Promise<http.IncomingMessage> {
  let current = o;
  for (let hop = 0; ; hop++) {
    const res = await sendOnce(current);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    const redirect = [301, 302, 303, 307, 308].includes(status) && location && (o.followRedirects ?? (o.method === 'GET' || o.method === 'HEAD'));
    if (!redirect || hop >= MAX_REDIRECTS) return res;
    res.resume();
    const next = new URL(location, current.url);
    const headers = { ...current.headers };
    if (next.host !== new URL(current.url).host) delete headers.Authorization;
    current = { ...current, url: next.toString(), headers };
  }
}
