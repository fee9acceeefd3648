// GET /containers/{name}/stats, GET /containers/{name}/top, POST /containers/{name}/update.
import type { RequestContext } from '../context';
import { InvalidArgumentError } from '../../errors';
import type { ContainerUpdateRequest } from '../../container/update';
import { queryBool, readJsonObject, sendJson, startStream } from '../http-util';
import { versionAtLeast } from '../version';

export async function containerStats(ctx: RequestContext): Promise<void> {
  const { query, backend, params, res } = ctx;
  const stream = query.get('stream') ? queryBool(query, 'stream') : true;
  const oneShot = versionAtLeast(ctx.version, '1.41') && query.get('one-shot') ? queryBool(query, 'one-shot') : false;
  // Resolving the container throws before anything is written (404 as JSON).
  const records = backend.containers.stats(params.name, { stream, oneShot }, ctx.signal)[Symbol.asyncIterator]();
  let started = false;
  try {
    for (let next = await records.next(); !next.done; next = await records.next()) {
      if (!started) { startStream(res, 'application/json'); started = true; }
      if (!res.write(JSON.stringify(next.value) + '\n')) await new Promise((r) => res.once('drain', r));
      if (ctx.signal.aborted) break;
    }
  } finally {
    await records.return?.(undefined);
    if (!started) startStream(res, 'application/json');
    res.end();
  }
}

export async function containerTop(ctx: RequestContext): Promise<void> {
  const result = await ctx.backend.containers.top(ctx.params.name, ctx.query.get('ps_args') ?? '');
  sendJson(ctx.res, 200, result);
}

const NUMBER_FIELDS = ['Memory', 'MemorySwap', 'MemoryReservation', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'PidsLimit', 'BlkioWeight'] as const;
const STRING_FIELDS = ['CpusetCpus', 'CpusetMems'] as const;

/** The UpdateConfig body (Resources + RestartPolicy), type-checked as Go's decoder would. */
function decodeUpdate(body: Record<string, unknown>): ContainerUpdateRequest {
  const out: ContainerUpdateRequest = {};
  const jsonType = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v);
  const typeError = (field: string, want: string, value: unknown = body[field]) =>
    new InvalidArgumentError(`invalid JSON: json: cannot unmarshal ${jsonType(value)} into Go struct field UpdateConfig.${field} of type ${want}`);
  for (const f of NUMBER_FIELDS) {
    const v = body[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(f, 'int64');
    out[f] = v;
  }
  for (const f of STRING_FIELDS) {
    const v = body[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw typeError(f, 'string');
    out[f] = v;
  }
  const rp = body.RestartPolicy;
  if (rp !== undefined && rp !== null) {
    if (typeof rp !== 'object' || Array.isArray(rp)) throw typeError('RestartPolicy', 'container.RestartPolicy');
    const { Name, MaximumRetryCount } = rp as Record<string, unknown>;
    if (Name !== undefined && typeof Name !== 'string') throw typeError('RestartPolicy.Name', 'string', Name);
    if (MaximumRetryCount !== undefined && typeof MaximumRetryCount !== 'number') throw typeError('RestartPolicy.MaximumRetryCount', 'int', MaximumRetryCount);
    out.RestartPolicy = { Name: (Name ?? '') as NonNullable<ContainerUpdateRequest['RestartPolicy']>['Name'], MaximumRetryCount: (MaximumRetryCount as number | undefined) ?? 0 };
  }
  return out;
}

export async function updateContainer(ctx: RequestContext): Promise<void> {
  const body = await readJsonObject(ctx.req);
  const result = await ctx.backend.containers.update(ctx.params.name, decodeUpdate(body ?? {}));
  sendJson(ctx.res, 200, { Warnings: result.warnings });
}
