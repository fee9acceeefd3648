// --cache-from, with the legacy builder's rules: a step may be satisfied by an
// image named in --cache-from (or one of its ancestors) whose history continues
// the current image's history with exactly this step. A child of the current
// image that matches is used as is; otherwise the step's image is restored on
// the current one from the source's layer, config and history entry (as moby's
// restoreCachedImage), so nothing runs. Images without parent links (pulled or
// loaded) work through their history alone.
import { Readable } from 'node:stream';
import { maybeDecompress } from '../../archive';
import type { Image, ImageHistoryEntry } from '../../image/types';
import type { StepSpec } from './commit-step';
import { short, type RunContext } from './run-context';
import type { StageState } from './state';

const EMPTY_TAR = Buffer.alloc(1024);

/** Tries the --cache-from images; on a hit the state moves to the step's image and the content key points at it. */
export async function tryCacheFrom(rc: RunContext, state: StageState, spec: StepSpec, key: string): Promise<boolean> {
  const sources = rc.cacheFrom ?? [];
  if (rc.request.noCache || sources.length === 0) return false;
  const parent = state.imageId ? rc.deps.images.find(state.imageId) : undefined;
  if (state.imageId && !parent) return false;
  const parentHistory = parent?.config.history ?? [];
  const parentDiffs = parent?.config.rootfs.diff_ids ?? [];
  const createdBy = spec.cmd.join(' ');
  for (const source of sources) {
    const history = source.config.history ?? [];
    const diffs = source.config.rootfs.diff_ids;
    if (history.length <= parentHistory.length) continue;
    if (!parentHistory.every((h, i) => sameEntry(h, history[i]))) continue;
    if (!parentDiffs.every((d, i) => diffs[i] === d)) continue;
    const entry = history[parentHistory.length];
    if (entry.created_by !== createdBy) continue;
    let image: Image | undefined;
    if (history.length === parentHistory.length + 1 && sameConfig(source.config.config, spec.config)) {
      image = source; // the source itself is this step's result
    } else {
      image = localAncestor(rc, source, state.imageId, parentHistory.length + 1)
        ?? await restore(rc, state, spec, source, entry, parentDiffs.length);
    }
    state.imageId = image.id;
    state.chainId = image.chainId;
    state.config = structuredClone(image.config.config ?? {});
    rc.deps.cache.store(key, image.id);
    rc.emit(' ---> Using cache\n');
    rc.emit(` ---> ${short(image.id)}\n`);
    return true;
  }
  return false;
}

/** The source's ancestor built on the current image at this step, when the parent chain is here. */
function localAncestor(rc: RunContext, source: Image, parentId: string, historyLength: number): Image | undefined {
  for (let img: Image | undefined = source; img; img = img.parentId ? rc.deps.images.find(img.parentId) : undefined) {
    const length = img.config.history?.length ?? 0;
    if (length < historyLength) return undefined;
    if (length === historyLength) return (img.parentId ?? '') === parentId ? img : undefined;
  }
  return undefined;
}

async function restore(rc: RunContext, state: StageState, spec: StepSpec, source: Image, entry: ImageHistoryEntry, layerIndex: number): Promise<Image> {
  const layer = entry.empty_layer
    ? Readable.from([EMPTY_TAR])
    : maybeDecompress(rc.deps.images.layerBlob(source.layers[layerIndex].digest));
  return rc.deps.images.commit({
    parentId: state.imageId,
    platform: state.platform,
    layer,
    config: structuredClone(spec.config) as StepSpec['config'] & Record<string, unknown>,
    containerConfig: { ...structuredClone(spec.config), Cmd: spec.cmd } as StepSpec['config'] & Record<string, unknown>,
    containerId: '',
    author: entry.author,
    created: entry.created,
  });
}

function sameEntry(a: ImageHistoryEntry, b: ImageHistoryEntry): boolean {
  return a.created_by === b.created_by && !!a.empty_layer === !!b.empty_layer;
}

function sameConfig(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a ?? {})) === JSON.stringify(canonical(b ?? {}));
}

/** Key order and empty values do not make two configs different. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === null || x === undefined || x === '' || x === false || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0)) continue;
      out[k] = canonical(x);
    }
    return out;
  }
  return v;
}
