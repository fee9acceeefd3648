// A small typed Engine API client over node:http (unix socket or tcp). Requests are
// sent with a fixed API version prefix; when the daemon answers "too new" the client
// drops to the daemon's maximum and retries once, so the common case costs no /_ping.
import * as http from 'node:http';
import { Duplex, type Readable } from 'node:stream';
import { ApiError, ConnectionError, errorFromBody } from './errors';
import { parseHost, type DaemonAddress } from './host';

/** The API version this client speaks (and the highest it asks for). */
export const CLIENT_API_VERSION = '1.45';

export type QueryValue = string | number | boolean | string[] | undefined | null;
export type QueryInit = Record<string, QueryValue>;

export interface RequestOptions {
  method?: string;
  /** Route path without version prefix, e.g. "/containers/json". */
  path: string;
  query?: QueryInit;
  /** Plain values are sent as JSON; Buffers and streams as they are. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send without the /vX.Y prefix (/_ping). */
  unversioned?: boolean;
}

export interface PingResult {
  apiVersion: string | undefined;
  osType: string | undefined;
  serverVersion: string | undefined;
  builderVersion: string | undefined;
}

export interface HijackedConnection {
  socket: Duplex;
  contentType: string;
}

export interface ClientOptions {
  host: string;
  /** Pin an API version (skips negotiation). */
  version?: string;
}

const TOO_NEW = /Maximum supported API version is ([0-9]+(?:\.[0-9]+)*)/;

function isStream(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function';
}

export function encodeQuery(query: QueryInit | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else if (typeof value === 'boolean') params.append(key, value ? '1' : '0');
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function readBody(res: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.once('error', reject);
  });
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export class EngineClient {
  readonly address: DaemonAddress;
  private apiVersion: string;
  private pinned: boolean;
  private readonly agent: http.Agent;

  constructor(options: ClientOptions) {
    this.address = parseHost(options.host);
    this.apiVersion = options.version ?? CLIENT_API_VERSION;
    this.pinned = options.version !== undefined;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  }

  get host(): string { return this.address.url; }
  get version(): string { return this.apiVersion; }

  /** Ask the daemon for its version and speak min(ours, its). */
  async negotiate(): Promise<PingResult | undefined> {
    let ping: PingResult;
    try {
      ping = await this.ping();
    } catch (err) {
      // A daemon without /_ping: keep our version (a real mismatch fails loudly later).
      if (!(err instanceof ApiError)) throw err;
      this.pinned = true;
      return undefined;
    }
    if (!this.pinned && ping.apiVersion && compareVersions(ping.apiVersion, this.apiVersion) < 0) {
      this.apiVersion = ping.apiVersion;
    }
    this.pinned = true;
    return ping;
  }

  async ping(signal?: AbortSignal): Promise<PingResult> {
    const res = await this.request({ method: 'GET', path: '/_ping', unversioned: true, signal });
    await readBody(res);
    const h = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    return { apiVersion: h('api-version'), osType: h('ostype'), serverVersion: h('server'), builderVersion: h('builder-version') };
  }

  /** A response with status < 400 (304 included); errors become ApiError. */
  async request(options: RequestOptions): Promise<http.IncomingMessage> {
    if (isStream(options.body) && !this.pinned) await this.negotiate();
    const res = await this.send(options);
    if (res.statusCode === undefined || res.statusCode < 400) return res;
    const err = errorFromBody(res.statusCode, await readBody(res), res.headers['content-type']);
    const m = TOO_NEW.exec(err.message);
    if (err.status === 400 && m && !this.pinned && !isStream(options.body) && compareVersions(m[1], this.apiVersion) < 0) {
      this.apiVersion = m[1];
      this.pinned = true;
      return this.request(options);
    }
    throw err;
  }

  /** The decoded JSON body (undefined when empty). */
  async json<T>(options: RequestOptions): Promise<T> {
    const res = await this.request(options);
    const body = await readBody(res);
    if (body.length === 0) return undefined as T;
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (err) {
      throw new ApiError(res.statusCode ?? 500, `invalid JSON in daemon response: ${(err as Error).message}`);
    }
  }

  /** Send, drain the body, and return the status code (e.g. to notice 304). */
  async call(options: RequestOptions): Promise<number> {
    const res = await this.request(options);
    await readBody(res);
    return res.statusCode ?? 0;
  }

  /** POST with `Upgrade: tcp`; resolves with the raw socket once the daemon answers 101 (or 200). */
  hijack(options: RequestOptions): Promise<HijackedConnection> {
    const headers = { Connection: 'Upgrade', Upgrade: 'tcp', ...options.headers };
    return new Promise((resolve, reject) => {
      const req = this.buildRequest({ ...options, headers }, false);
      req.once('upgrade', (res: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        if (head.length > 0) socket.unshift(head);
        resolve({ socket, contentType: String(res.headers['content-type'] ?? '') });
      });
      req.once('response', (res: http.IncomingMessage) => {
        if ((res.statusCode ?? 500) >= 400) {
          readBody(res).then((b) => reject(errorFromBody(res.statusCode ?? 500, b, res.headers['content-type'])), reject);
          return;
        }
        // A daemon that does not upgrade streams the output as a plain response body.
        resolve({ socket: Duplex.from({ readable: res, writable: res.socket }), contentType: String(res.headers['content-type'] ?? '') });
      });
      req.once('error', (err) => reject(this.wrapError(err)));
      this.writeBody(req, options.body);
    });
  }

  /** Close idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }

  private send(options: RequestOptions): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.buildRequest(options, true);
      req.once('response', resolve);
      req.once('error', (err) => reject(this.wrapError(err)));
      this.writeBody(req, options.body);
    });
  }

  private buildRequest(options: RequestOptions, pooled: boolean): http.ClientRequest {
    const prefix = options.unversioned ? '' : `/v${this.apiVersion}`;
    const headers: Record<string, string> = { 'User-Agent': 'Berth-Client/0.1.0', ...options.headers };
    const body = options.body;
    if (body !== undefined && !isStream(body) && !Buffer.isBuffer(body)) headers['Content-Type'] = 'application/json';
    if (options.contentType) headers['Content-Type'] = options.contentType;
    const target = this.address.kind === 'unix'
      ? { socketPath: this.address.socketPath, host: 'api.moby.localhost' }
      : { host: this.address.hostname, port: this.address.port };
    return http.request({
      ...target,
      method: options.method ?? 'GET',
      path: prefix + options.path + encodeQuery(options.query),
      headers,
      agent: pooled ? this.agent : false,
      signal: options.signal,
    });
  }

  private writeBody(req: http.ClientRequest, body: unknown): void {
    if (body === undefined) req.end();
    else if (isStream(body)) {
      body.once('error', (err) => req.destroy(err));
      body.pipe(req);
    } else if (Buffer.isBuffer(body)) req.end(body);
    else req.end(JSON.stringify(body));
  }

  private wrapError(err: Error): Error {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT') return new ConnectionError(this.host, err);
    if (code === 'EACCES') {
      return new Error(`permission denied while trying to connect to the Berth daemon socket at ${this.host}`, { cause: err });
    }
    if (code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') return new ConnectionError(this.host, err);
    return err;
  }
}
