// Turns one step into an image: a cache lookup by content key first; on a miss
// the step's filesystem change (if any) becomes a layer on a scratch overlay
// and the image is committed through the image service (empty diffs add a
// history entry marked empty_layer, as Docker does).
import { Readable } from 'node:stream';
import { createLayerTar } from '../../archive';
import { runtimeStubPaths } from '../../container/fs/runtime-stubs';
import type { ImageRuntimeConfig } from '../../image/types';
import { cacheKey } from '../cache';
import { mountStubPaths } from './mount-stubs';
import { tryCacheFrom } from './cache-from';
import { newId, removeScratch, short, type RunContext } from './run-context';
import type { StageState } from './state';

export interface StepSpec {
  /** container_config.Cmd (the history's created_by once joined). */
  cmd: string[];
  /** Runtime config after the step. */
  config: ImageRuntimeConfig;
  inputs: string[];
  /** Changes files in a writable root (a scratch overlay on the parent). */
  mutate?: (root: string) => Promise<void>;
  /** Or: a container already holds the change (RUN); its upper dir is the layer. */
  containerId?: string;
  /** RUN --mount targets: their empty mount points stay out of the layer. */
  mountTargets?: string[];
}

const EMPTY_TAR = Buffer.alloc(1024);

export function stepKey(rc: RunContext, state: StageState, spec: StepSpec): string {
  return cacheKey({
    parent: state.imageId, platform: `${state.platform.os}/${state.platform.architecture}`,
    cmd: spec.cmd, config: spec.config,
    inputs: [...spec.inputs, state.author ?? '', ...(rc.sourceDateEpoch !== undefined ? [`epoch=${rc.sourceDateEpoch}`] : [])],
  });
}

/** Cache hit: moves the state to the cached image and says so. */
export function tryCache(rc: RunContext, state: StageState, key: string): boolean {
  if (rc.request.noCache) return false;
  const hit = rc.deps.cache.lookup(key, (id) => rc.deps.images.find(id) !== undefined);
  if (!hit) return false;
  const image = rc.deps.images.get(hit);
  state.imageId = image.id;
  state.chainId = image.chainId;
  state.config = structuredClone(image.config.config ?? {});
  rc.emit(' ---> Using cache\n');
  rc.emit(` ---> ${short(image.id)}\n`);
  return true;
}

/** Commits; the new image's " ---> id" line is printed unless `quietId` (RUN prints it after removing its container). */
export async function commitStep(rc: RunContext, state: StageState, spec: StepSpec, key: string, quietId = false): Promise<void> {
  let layer: Readable;
  let scratchId: string | undefined;
  const { rootfs } = rc.deps;
  try {
    if (spec.containerId) {
      const upper = rootfs.upperDir(spec.containerId);
      const lowers = rootfs.lowerDirs(spec.containerId);
      const stubs = runtimeStubPaths(upper, lowers);
      for (const p of mountStubPaths(upper, lowers, spec.mountTargets ?? [])) stubs.add(p);
      layer = createLayerTar(upper, { skip: (rel) => stubs.has(`/${rel}`), clampMtime: rc.sourceDateEpoch });
    } else if (spec.mutate) {
      scratchId = newId();
      rc.live.rootfs.add(scratchId);
      await rootfs.create(scratchId, state.chainId);
      const root = await rootfs.acquire(scratchId);
      try {
        await spec.mutate(root);
      } finally {
        await rootfs.release(scratchId);
      }
      layer = createLayerTar(rootfs.upperDir(scratchId), { clampMtime: rc.sourceDateEpoch });
    } else {
      layer = Readable.from([EMPTY_TAR]);
    }
    const image = await rc.deps.images.commit({
      parentId: state.imageId,
      platform: state.platform,
      layer,
      config: structuredClone(spec.config) as ImageRuntimeConfig & Record<string, unknown>,
      containerConfig: { ...structuredClone(spec.config), Cmd: spec.cmd } as ImageRuntimeConfig & Record<string, unknown>,
      // A reproducible image cannot name the random ID of the container that ran the step.
      containerId: rc.sourceDateEpoch !== undefined ? '' : spec.containerId ?? '',
      author: state.author,
      ...(rc.sourceDateEpoch !== undefined ? { created: new Date(rc.sourceDateEpoch * 1000).toISOString() } : {}),
    });
    state.imageId = image.id;
    state.chainId = image.chainId;
    state.config = structuredClone(spec.config);
    rc.deps.cache.store(key, image.id);
    if (!quietId) rc.emit(` ---> ${short(image.id)}\n`);
  } finally {
    if (scratchId) {
      await removeScratch(rc.deps, scratchId);
      rc.live.rootfs.delete(scratchId);
    }
  }
}

/** Lookup, else commit. */
export async function runStep(rc: RunContext, state: StageState, spec: StepSpec): Promise<void> {
  const key = stepKey(rc, state, spec);
  if (tryCache(rc, state, key) || await tryCacheFrom(rc, state, spec, key)) return;
  await commitStep(rc, state, spec, key);
}
