// POST /build (the legacy builder's API: context tar in, JSON messages out) and
// POST /build/prune. Like moby, an error before the first message is an HTTP
// error status; after it, an errorDetail message ends the stream.
import type { RequestContext } from '../context';
import { InvalidArgumentError, NotImplementedError, errorMessage, isBerthError } from '../../errors';
import type { BuildMessage, BuildRequest } from '../../build/types';
import { RunFailedError } from '../../build';
import { discardBody, queryBool, queryString } from '../http-util';
import { decodeRegistryConfig, type AuthConfig } from '../../distribution';

/** X-Registry-Config: logins by server address; unreadable means none, as in dockerd. */
function registryConfig(ctx: RequestContext): Record<string, AuthConfig> | undefined {
  const header = ctx.req.headers['x-registry-config'];
  return decodeRegistryConfig(Array.isArray(header) ? header[0] : header);
}

function jsonMap(ctx: RequestContext, key: string): Record<string, string | null> {
  const raw = queryString(ctx.query, key);
  if (raw === undefined) return {};
  let v: unknown;
  try { v = JSON.parse(raw); } catch (err) { throw new InvalidArgumentError(`error reading ${key}: ${(err as Error).message}`); }
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new InvalidArgumentError(`error reading ${key}: not a JSON object`);
  return v as Record<string, string | null>;
}

/** Berth extension: `secrets` is a JSON list of the secret IDs the context carries. */
function secretIds(raw: string | undefined): string[] {
  return stringList(raw, 'secrets');
}

/** Berth extension: `sshsockets` is a JSON object of ssh-agent socket paths by ID. */
function sshSockets(raw: Record<string, string | null>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [id, socket] of Object.entries(raw)) {
    if (typeof socket !== 'string' || !socket.startsWith('/')) throw new InvalidArgumentError(`error reading sshsockets: "${id}" needs an absolute socket path`);
    out[id] = socket;
  }
  return Object.keys(out).length ? out : undefined;
}

function stringList(raw: string | undefined, key: string): string[] {
  if (raw === undefined || raw === '') return [];
  let v: unknown;
  try { v = JSON.parse(raw); } catch (err) { throw new InvalidArgumentError(`error reading ${key}: ${(err as Error).message}`); }
  if (v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new InvalidArgumentError(`error reading ${key}: not a JSON list of strings`);
  return v as string[];
}

function decodeRequest(ctx: RequestContext): Omit<BuildRequest, 'context'> {
  const q = ctx.query;
  if (queryString(q, 'version') === '2') throw new NotImplementedError('BuildKit builds (version=2) are not supported by Berth: use the legacy builder (DOCKER_BUILDKIT=0)');
  const labels = jsonMap(ctx, 'labels');
  return {
    dockerfile: queryString(q, 'dockerfile'),
    tags: q.getAll('t').filter((t) => t !== ''),
    buildArgs: jsonMap(ctx, 'buildargs'),
    labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v ?? ''])),
    target: queryString(q, 'target'),
    noCache: queryBool(q, 'nocache'),
    quiet: queryBool(q, 'q'),
    remove: queryBool(q, 'rm', true),
    forceRemove: queryBool(q, 'forcerm'),
    pull: queryBool(q, 'pull'),
    platform: queryString(q, 'platform'),
    networkMode: queryString(q, 'networkmode'),
    secrets: secretIds(queryString(q, 'secrets')),
    cacheFrom: stringList(queryString(q, 'cachefrom'), 'cachefrom'),
    remote: queryString(q, 'remote') || undefined,
    sshSockets: sshSockets(jsonMap(ctx, 'sshsockets')),
    registryAuths: registryConfig(ctx),
  };
}

export async function build(ctx: RequestContext): Promise<void> {
  let options: Omit<BuildRequest, 'context'>;
  try {
    options = decodeRequest(ctx);
  } catch (err) {
    discardBody(ctx.req);
    throw err;
  }
  const { res } = ctx;
  const write = (m: BuildMessage | Record<string, unknown>) => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(JSON.stringify(m) + '\r\n');
  };
  try {
    // With a remote context the body carries nothing the build needs.
    if (options.remote) discardBody(ctx.req);
    await ctx.backend.builder.build({ ...options, context: ctx.req }, write, ctx.signal);
  } catch (err) {
    discardBody(ctx.req);
    if (!res.headersSent) throw err;
    const message = errorMessage(err);
    const detail: Record<string, unknown> = { message };
    if (err instanceof RunFailedError) detail.code = err.code;
    else if (!isBerthError(err)) detail.message = `internal error: ${message}`;
    write({ errorDetail: detail, error: detail.message });
  }
  res.end();
}

export async function pruneBuildCache(ctx: RequestContext): Promise<void> {
  discardBody(ctx.req);
  const result = await ctx.backend.builder.prune({ all: queryBool(ctx.query, 'all') });
  const body = JSON.stringify(result) + '\n';
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  ctx.res.end(body);
}
