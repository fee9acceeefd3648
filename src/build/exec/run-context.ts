// What every step of one build shares: the engine services, the request, the
// context, progress output, and the resources to clean up when the build ends.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerService } from '../../container/types';
import type { SharedRootfsStore } from '../../container/fs';
import type { Image, ImageService } from '../../image/types';
import type { BuildCache } from '../cache';
import type { Checksums } from '../context/sources';
import type { BuildContext } from '../context/receive';
import type { BuildPlan } from '../plan';
import type { BuildRequest, ImagePuller, ProgressMessage } from '../types';

export interface BuilderDeps {
  images: ImageService;
  containers: ContainerService;
  rootfs: SharedRootfsStore;
  cache: BuildCache;
  /** <data-root>/build: contexts and cache mounts. */
  root: string;
  /** The registry client; without it, images missing locally are an error. */
  pull?: ImagePuller;
}

export interface StageOutput { imageId: string; chainId: string | null }

export interface RunContext {
  deps: BuilderDeps;
  request: BuildRequest;
  context: BuildContext;
  plan: BuildPlan;
  escape: string;
  file: string; // Dockerfile name for messages
  checksums: Checksums;
  signal?: AbortSignal;
  emit(text: string): void;
  /** Pull progress messages, in the same order as the text. */
  progress(message: ProgressMessage): void;
  /** Pulls started by this build, by reference. */
  pulls: Map<string, Promise<void>>;
  /** Waits for another stage's result. */
  stageOutput(index: number): Promise<StageOutput>;
  /** Build args the Dockerfile consumed (for the "not consumed" warning). */
  usedArgs: Set<string>;
  /** --cache-from images found locally (missing ones are skipped, as the legacy builder does). */
  cacheFrom?: Image[];
  /** SOURCE_DATE_EPOCH (seconds): clamps layer mtimes and fixes created times, for reproducible images. */
  sourceDateEpoch?: number;
  /** Containers and scratch rootfs dirs alive right now (removed if the build stops). */
  live: { containers: Set<string>; rootfs: Set<string> };
}

export function newId(): string {
  return randomBytes(32).toString('hex');
}

export function short(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Unmounts and deletes a scratch rootfs, its directory included (the rootfs store keeps the dir for containers). */
export async function removeScratch(deps: BuilderDeps, id: string): Promise<void> {
  await deps.rootfs.release(id).catch(() => undefined);
  await deps.rootfs.remove(id);
  fs.rmSync(path.dirname(deps.rootfs.rootfsPath(id)), { recursive: true, force: true });
}
