// Registry endpoints: pull (POST /images/create?fromImage=), push
// (POST /images/{name}/push), login check (POST /auth) and
// GET /distribution/{name}/json. Credentials come in X-Registry-Auth.
import type { RequestContext } from '../context';
import { InvalidArgumentError, NotImplementedError } from '../../errors';
import { decodeRegistryAuth, normalizeAuth, parsePlatformString, type AuthConfig, type DistributionService } from '../../distribution';
import { parseReference, type ImageReference } from '../../image/reference';
import { discardBody, queryString, readJson } from '../http-util';
import { ProgressStream } from '../streams/progress';

function distribution(ctx: RequestContext): DistributionService {
  if (!ctx.backend.distribution) throw new NotImplementedError('this daemon has no registry client');
  return ctx.backend.distribution;
}

function registryAuth(ctx: RequestContext): AuthConfig | undefined {
  const header = ctx.req.headers['x-registry-auth'];
  return decodeRegistryAuth(Array.isArray(header) ? header[0] : header);
}

/** fromImage + tag as dockerd combines them: a tag that parses as a digest pins the digest. */
function pullReference(fromImage: string, tag: string | undefined): ImageReference {
  const ref = parseReference(fromImage);
  if (!tag) return ref;
  if (/^[a-z0-9]+:[a-f0-9]{32,}$/.test(tag)) return parseReference(`${fromImage.replace(/@.*$/, '')}@${tag}`);
  return parseReference(`${fromImage.replace(/:[^/:@]*$/, '').replace(/@.*$/, '')}:${tag}`);
}

export async function pullImage(ctx: RequestContext, fromImage: string): Promise<void> {
  discardBody(ctx.req);
  const tag = queryString(ctx.query, 'tag');
  const ref = pullReference(fromImage, tag);
  const platformText = queryString(ctx.query, 'platform');
  const platform = platformText ? parsePlatformString(platformText) : undefined;
  const dist = distribution(ctx);
  const stream = new ProgressStream(ctx.res);
  try {
    await dist.pull(ref, { auth: registryAuth(ctx), platform, allTags: !ref.tag && !ref.digest, signal: ctx.signal }, stream.send);
  } catch (err) {
    stream.finish(err);
    return;
  }
  stream.finish();
}

export async function pushImage(ctx: RequestContext): Promise<void> {
  discardBody(ctx.req);
  const tag = queryString(ctx.query, 'tag');
  let ref = parseReference(ctx.params.name);
  if (tag) {
    if (ref.digest) throw new InvalidArgumentError('cannot push a digest reference');
    ref = parseReference(`${ctx.params.name.replace(/:[^/:]*$/, '')}:${tag}`);
  }
  const dist = distribution(ctx);
  const stream = new ProgressStream(ctx.res);
  try {
    await dist.push(ref, { auth: registryAuth(ctx), signal: ctx.signal }, stream.send);
  } catch (err) {
    stream.finish(err);
    return;
  }
  stream.finish();
}

export async function login(ctx: RequestContext): Promise<void> {
  const body = await readJson(ctx.req);
  if (!body || typeof body !== 'object') throw new InvalidArgumentError('login: a JSON auth config is required');
  const result = await distribution(ctx).login(normalizeAuth(body as AuthConfig));
  const text = JSON.stringify({ Status: result.Status, IdentityToken: result.IdentityToken ?? '' });
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  ctx.res.end(text);
}

export async function inspectDistribution(ctx: RequestContext): Promise<void> {
  const result = await distribution(ctx).inspect(parseReference(ctx.params.name), registryAuth(ctx));
  const text = JSON.stringify(result);
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  ctx.res.end(text);
}
