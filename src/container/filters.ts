// Docker's container list and prune filters (moby daemon/list.go, daemon/prune.go).
// Values of one key are ORed; keys are ANDed; name/id/status use Docker's regexp Match.
import { InvalidArgumentError, NotFoundError } from '../errors';
import type { ImageService } from '../image/types';
import { rfc3339ToSeconds } from '../runtime';
import type { Container, ContainerListOptions } from './types';

const LIST_KEYS = ['ancestor', 'before', 'exited', 'id', 'isolation', 'label', 'name', 'status', 'health', 'since', 'volume', 'network', 'is-task', 'publish', 'expose'];
const STATES = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

function validateKeys(filters: Record<string, string[]>, accepted: string[]): void {
  for (const key of Object.keys(filters)) if (!accepted.includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
}

/** Docker's Args.Match: exact, or the value as an (unanchored) regular expression. */
export function matchAny(values: string[] | undefined, source: string): boolean {
  if (!values || values.length === 0) return true;
  for (const v of values) {
    if (v === source) return true;
    try { if (new RegExp(v).test(source)) return true; } catch { /* invalid regexp: no match */ }
  }
  return false;
}

/** Docker's MatchKVList: every "key" / "key=value" must hold. */
export function matchLabels(values: string[] | undefined, labels: Record<string, string>): boolean {
  if (!values || values.length === 0) return true;
  return values.every((v) => {
    const i = v.indexOf('=');
    const key = i < 0 ? v : v.slice(0, i);
    if (!(key in labels)) return false;
    return i < 0 || labels[key] === v.slice(i + 1);
  });
}

function running(c: Container): boolean {
  return c.state.Running || c.state.Status === 'running' || c.state.Status === 'paused' || c.state.Status === 'restarting';
}

export interface ListDeps {
  all: Container[];
  resolve: (idOrName: string) => Container;
  images: ImageService;
}

export function filterContainers(deps: ListDeps, options: ContainerListOptions = {}): Container[] {
  const f = options.filters ?? {};
  validateKeys(f, LIST_KEYS);
  const exited = (f.exited ?? []).map((v) => {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`invalid filter 'exited=${v}': strconv.Atoi: parsing "${v}": invalid syntax`);
    return Number(v);
  });
  let all = options.all === true;
  for (const s of f.status ?? []) {
    if (!STATES.includes(s)) throw new InvalidArgumentError(`invalid filter 'status=${s}': invalid value for state (${s}): must be one of ${STATES.join(', ')}`);
    all = true;
  }
  for (const h of f.health ?? []) {
    if (!['starting', 'healthy', 'unhealthy', 'none'].includes(h)) throw new InvalidArgumentError(`invalid filter 'health=${h}': invalid value for health (${h}): must be one of none, starting, healthy, unhealthy`);
  }
  const lookup = (v: string) => {
    try { return deps.resolve(v); } catch { throw new NotFoundError(`No such container: ${v}`); }
  };
  const before = f.before?.length ? lookup(f.before[f.before.length - 1]) : undefined;
  const since = f.since?.length ? lookup(f.since[f.since.length - 1]) : undefined;
  const ancestors = f.ancestor ? ancestorIds(deps.images, f.ancestor) : undefined;
  const limit = options.limit ?? 0;

  const sorted = deps.all.slice().sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  const out: Container[] = [];
  let seenBefore = before === undefined;
  for (const c of sorted) {
    if (!seenBefore) { if (c.id === before?.id) seenBefore = true; continue; }
    if (since && c.id === since.id) break;
    if (!running(c) && !all && limit <= 0) continue;
    if (!matchAny(f.name, '/' + c.name) && !matchAny(f.name, c.name)) continue;
    if (!matchAny(f.id, c.id)) continue;
    if (!matchLabels(f.label, c.config.Labels ?? {})) continue;
    if (exited.length && (running(c) || c.state.StartedAt.startsWith('0001-') || !exited.includes(c.state.ExitCode))) continue;
    if (!matchAny(f.status, c.state.Status)) continue;
    if (f.health?.length && !f.health.includes(c.state.Health?.Status ?? 'none')) continue;
    if (ancestors && !ancestors.has(c.imageId)) continue;
    if (f.network?.length && !f.network.some((n) => n === c.hostConfig.NetworkMode || (n === 'bridge' && c.hostConfig.NetworkMode === 'default'))) continue;
    if (f['is-task']?.includes('true') || f['is-task']?.includes('1')) continue;
    if (f.volume?.length || f.publish?.length) continue; // no volumes or published ports yet
    if (f.expose?.length && !f.expose.some((p) => Object.keys(c.config.ExposedPorts ?? {}).some((e) => e === p || e === `${p}/tcp`))) continue;
    out.push(c);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

/** Image IDs matching the ancestor references, plus images built on top of them. */
function ancestorIds(images: ImageService, refs: string[]): Set<string> {
  const ids = new Set<string>();
  for (const ref of refs) {
    const img = images.find(ref);
    if (img) ids.add(img.id);
  }
  if (ids.size === 0) return ids;
  let grew = true;
  const list = images.list({ all: true });
  while (grew) {
    grew = false;
    for (const img of list) {
      if (img.parentId && ids.has(img.parentId) && !ids.has(img.id)) { ids.add(img.id); grew = true; }
    }
  }
  return ids;
}

/** Docker's timetypes.GetTimestamp for `until`: unix seconds, Go duration ago, or an RFC 3339 date. */
export function parseTimestamp(value: string, nowMs = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let secs = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) secs += Number(m[1]) * units[m[2]];
    return nowMs / 1000 - secs;
  }
  const rfc = rfc3339ToSeconds(value);
  if (Number.isFinite(rfc)) return rfc;
  const parsed = Date.parse(/T|Z|[+-]\d\d:\d\d$/.test(value) ? value : value + 'T00:00:00Z');
  if (Number.isFinite(parsed)) return parsed / 1000;
  throw new InvalidArgumentError(`failed to parse value as time or duration: "${value}"`);
}

export function pruneMatcher(filters: Record<string, string[]>): (c: Container) => boolean {
  validateKeys(filters, ['label', 'label!', 'until']);
  if ((filters.until ?? []).length > 1) throw new InvalidArgumentError('more than one until filter specified');
  const until = filters.until?.[0] !== undefined ? parseTimestamp(filters.until[0]) : undefined;
  return (c) => {
    if (until !== undefined && rfc3339ToSeconds(c.created) > until) return false;
    if (!matchLabels(filters.label, c.config.Labels ?? {})) return false;
    const not = filters['label!'];
    if (not?.length && matchLabels(not, c.config.Labels ?? {})) return false;
    return true;
  };
}
