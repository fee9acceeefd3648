// A conversation with one registry endpoint for a set of repository scopes:
// finds out (GET /v2/) whether and how it wants credentials, then authorizes
// every request — Basic with the user's password, or Bearer with a token from
// the realm the challenge names (anonymous when no credentials are given,
// refresh-token grant for identity tokens). A 401 with a new challenge is
// answered once more with fresh credentials when the body can be sent again.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { InternalError, UnauthorizedError } from '../errors';
import { parseChallenges, type Challenge } from './challenge';
import type { Endpoint } from './endpoints';
import { describeRegistryErrors, readLimited, unexpectedResponse } from './registry-errors';
import { send, TransportError } from './registry-http';
import type { AuthConfig } from './types';

export interface SessionRequest {
  method: string;
  /** Path below the endpoint, e.g. "/v2/x/y/manifests/1", or an absolute URL (upload locations). */
  path: string;
  headers?: Record<string, string>;
  /** A Buffer, or a factory so the body can be sent again after a 401. */
  body?: Buffer | (() => Readable);
  signal?: AbortSignal;
}

interface TokenResponse { token?: string; access_token?: string; refresh_token?: string; expires_in?: number }

export class RegistrySession {
  private base: string;
  private challenge: Challenge | undefined;
  private token: { value: string; scopes: string } | undefined;
  private pinging: Promise<void> | undefined;
  /** A refresh token the token server handed out (Docker's identity token). */
  refreshToken: string | undefined;

  constructor(readonly endpoint: Endpoint, private readonly auth: AuthConfig | undefined, private readonly scopes: Set<string>) {
    this.base = endpoint.base;
  }

  get baseUrl(): string { return this.base; }

  addScope(scope: string): void {
    if (!this.scopes.has(scope)) {
      this.scopes.add(scope);
      this.token = undefined;
    }
  }

  /** GET /v2/: picks http for an insecure registry without TLS, learns the auth challenge. */
  async ping(signal?: AbortSignal): Promise<IncomingMessage> {
    let res: IncomingMessage;
    try {
      res = await send({ method: 'GET', url: `${this.base}/v2/`, insecure: this.endpoint.insecure, signal });
    } catch (err) {
      if (!(err instanceof TransportError) || !this.endpoint.insecure || !this.base.startsWith('https:')) throw err;
      this.base = `http:${this.base.slice('https:'.length)}`;
      res = await send({ method: 'GET', url: `${this.base}/v2/`, signal });
    }
    if (res.statusCode === 401) this.challenge = pickChallenge(res.headers['www-authenticate']);
    return res;
  }

  async request(r: SessionRequest): Promise<IncomingMessage> {
    // Concurrent first requests share one ping (it may switch the scheme).
    await (this.pinging ??= this.ping(r.signal).then((res) => { res.resume(); }));
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.authorization(r.signal);
      const url = /^https?:\/\//.test(r.path) ? r.path : `${this.base}${r.path}`;
      const body = typeof r.body === 'function' ? r.body() : r.body;
      const headers = { ...r.headers, ...(authorization ? { Authorization: authorization } : {}) };
      const res = await send({ method: r.method, url, headers, body, insecure: this.endpoint.insecure, signal: r.signal });
      if (res.statusCode !== 401 || attempt > 0 || (r.body !== undefined && !Buffer.isBuffer(r.body) && typeof r.body !== 'function')) return res;
      const next = pickChallenge(res.headers['www-authenticate']);
      if (!next || (this.challenge?.scheme === 'basic' && next.scheme === 'basic')) return res;
      res.resume();
      this.challenge = next;
      this.token = undefined;
    }
  }

  /**
   * What a request for `path` needs when another thread sends it (a layer worker):
   * the absolute URL and the Authorization header as of now.
   */
  async prepare(path: string, signal?: AbortSignal): Promise<{ url: string; headers: Record<string, string>; insecure: boolean }> {
    await (this.pinging ??= this.ping(signal).then((res) => { res.resume(); }));
    const authorization = await this.authorization(signal);
    return { url: `${this.base}${path}`, headers: authorization ? { Authorization: authorization } : {}, insecure: this.endpoint.insecure };
  }

  /** Throws UnauthorizedError unless the registry accepts these credentials (docker login). */
  async checkLogin(signal?: AbortSignal): Promise<void> {
    const first = await this.ping(signal);
    if (first.statusCode === 200) { first.resume(); return; }
    if (first.statusCode !== 401) await unexpectedResponse(first, 'registry');
    first.resume();
    if (!this.challenge) throw new UnauthorizedError(`login attempt to ${this.base}/v2/ failed with status: 401 Unauthorized`);
    if (this.challenge.scheme === 'bearer') { await this.authorization(signal, true); return; }
    const res = await send({ method: 'GET', url: `${this.base}/v2/`, headers: basicHeader(this.auth), insecure: this.endpoint.insecure, signal });
    res.resume();
    if (res.statusCode !== 200) throw new UnauthorizedError(`login attempt to ${this.base}/v2/ failed with status: ${res.statusCode} ${res.statusMessage ?? ''}`.trim());
  }

  private async authorization(signal: AbortSignal | undefined, offline = false): Promise<string | undefined> {
    if (this.auth?.registrytoken) return `Bearer ${this.auth.registrytoken}`;
    const ch = this.challenge;
    if (!ch) return undefined;
    if (ch.scheme === 'basic') {
      const header = basicHeader(this.auth).Authorization;
      if (!header) throw new InternalError('no basic auth credentials');
      return header;
    }
    const scopes = [...this.scopes].sort().join(' ');
    if (this.token && this.token.scopes === scopes) return `Bearer ${this.token.value}`;
    const value = await this.fetchToken(ch, signal, offline);
    this.token = { value, scopes };
    return `Bearer ${value}`;
  }

  private async fetchToken(ch: Challenge, signal: AbortSignal | undefined, offline: boolean): Promise<string> {
    const realm = ch.params.realm;
    if (!realm) throw new UnauthorizedError('unauthorized: bearer challenge without a realm');
    const url = new URL(realm);
    let res: IncomingMessage;
    if (this.auth?.identitytoken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.auth.identitytoken, client_id: 'berth' });
      if (ch.params.service) form.set('service', ch.params.service);
      if (this.scopes.size) form.set('scope', [...this.scopes].join(' '));
      res = await send({
        method: 'POST', url: url.toString(), body: Buffer.from(form.toString()),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, insecure: this.endpoint.insecure, signal,
      });
    } else {
      if (ch.params.service) url.searchParams.set('service', ch.params.service);
      for (const scope of this.scopes) url.searchParams.append('scope', scope);
      const basic = basicHeader(this.auth);
      if (basic.Authorization) {
        url.searchParams.set('account', this.auth?.username ?? '');
        if (offline) { url.searchParams.set('offline_token', 'true'); url.searchParams.set('client_id', 'berth'); }
      }
      res = await send({ method: 'GET', url: url.toString(), headers: basic, insecure: this.endpoint.insecure, signal });
    }
    const body = await readLimited(res, 1 << 20);
    if (res.statusCode !== 200) {
      const text = describeRegistryErrors(body) ?? (res.statusCode === 401 ? 'unauthorized: incorrect username or password' : `token request failed with status ${res.statusCode}`);
      throw new UnauthorizedError(text);
    }
    let parsed: TokenResponse;
    try { parsed = JSON.parse(body.toString('utf8')) as TokenResponse; } catch { throw new UnauthorizedError('unauthorized: the token server answered no JSON'); }
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new UnauthorizedError('unauthorized: the token server answered no token');
    if (parsed.refresh_token) this.refreshToken = parsed.refresh_token;
    return token;
  }
}

function pickChallenge(header: string | string[] | undefined): Challenge | undefined {
  const all = parseChallenges(header);
  return all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
}

function basicHeader(auth: AuthConfig | undefined): Record<string, string> {
  if (!auth?.username || auth.password === undefined || auth.password === '') return {};
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}
