// Composition root of the engine: opens the metadata DB and wires content store,
// layers, rootfs, images, runtime and containers together, running each
// component's crash repair in dependency order before anything is served.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openMetadataDb, type MetadataDb } from '../store';
import { EventBus } from '../events';
import { createContentStore } from '../content';
import { createLayerStore, createRootfsStore } from '../snapshot';
import { createImageService, seedBusybox } from '../image';
import { createRuntime } from '../runtime';
import { createContainerService } from '../container';
import { createContainerFsService, SharedRootfsStore, type ContainerFsService } from '../container/fs';
import { createBuildService, type BuildService } from '../build';
import { createDistributionService, pullByName, type DistributionService } from '../distribution';
import type { ContentStore } from '../content/types';
import type { LayerStore, RootfsStore } from '../snapshot/types';
import type { ImageService } from '../image/types';
import type { ContainerRuntime } from '../runtime/types';
import type { ContainerService } from '../container/types';
import { dataLayout, type DaemonConfig } from './config';
import { errorMessage } from '../errors';
import { log } from '../util/logger';

export interface Engine {
  db: MetadataDb;
  events: EventBus;
  content: ContentStore;
  layers: LayerStore;
  rootfs: RootfsStore;
  images: ImageService;
  runtime: ContainerRuntime;
  containers: ContainerService;
  containerFs: ContainerFsService;
  builder: BuildService;
  distribution: DistributionService;
  /** Stop watchers and close the DB; containers keep running under conmon. */
  close(): Promise<void>;
}

/** Scratch space for uploads (image load/import); leftovers of a crash are dropped. */
function resetTmpDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

async function step<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    const result = await fn();
    log.debug(`${what} done`, { ms: Date.now() - started });
    return result;
  } catch (err) {
    throw new Error(`${what} failed: ${errorMessage(err)}`, { cause: err });
  }
}

export async function openEngine(config: DaemonConfig, runtimePath: string): Promise<Engine> {
  const layout = dataLayout(config);
  for (const dir of [layout.contentRoot, layout.layersRoot, layout.containersRoot]) fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
  for (const dir of [layout.runtimeRoot, layout.conmonRoot]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmpDir = path.join(config.dataRoot, 'tmp');
  resetTmpDir(tmpDir);

  const db = openMetadataDb(layout.metadataDb);
  const closers: Array<() => Promise<void> | void> = [() => { db.close(); }];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try { await close(); } catch (err) { log.warn('shutdown step failed', { error: errorMessage(err) }); }
    }
  };
  try {
    const events = new EventBus();
    const content = await createContentStore(layout.contentRoot);
    await step('content store repair', () => content.repair());
    const layers = await createLayerStore(layout.layersRoot, db);
    await step('layer store repair', () => layers.repair());
    // Shared so that cp/export/commit can borrow a stopped container's mount.
    const rootfs = new SharedRootfsStore(await createRootfsStore(layout.containersRoot, layers));
    const images = await createImageService({ db, content, layers, events, tmpDir });
    await step('image store repair', () => images.repair());
    const runtime = createRuntime({ runtimePath, runtimeRoot: layout.runtimeRoot, conmonRoot: layout.conmonRoot, logLevel: config.logLevel });
    closers.push(() => runtime.close());
    const containers = await createContainerService({
      db, root: layout.containersRoot, images, layers, rootfs, runtime, events, cgroupParent: config.cgroupParent,
      init: { enabled: config.init ?? false, path: config.initPath },
      logDefaults: { Type: config.logDriver, Config: config.logOpts },
    });
    closers.push(() => containers.close());
    images.setUsageChecker((imageId) => {
      const users = containers.usingImage(imageId);
      if (users.length === 0) return undefined;
      const running = users.find((c) => c.state.Running);
      const user = running ?? users[0];
      return { containerId: user.id, running: running !== undefined };
    });
    const containerFs = createContainerFsService({ containers, images, rootfs, events });
    const distribution = createDistributionService({
      content, layers, images,
      options: {
        insecureRegistries: config.insecureRegistries ?? [], mirrors: config.registryMirrors ?? [],
        maxConcurrentDownloads: config.maxConcurrentDownloads ?? 3, maxConcurrentUploads: config.maxConcurrentUploads ?? 5,
      },
    });
    const builder = createBuildService({
      db, dataRoot: config.dataRoot, images, containers, rootfs,
      pull: (ref, options, progress) => pullByName(distribution, ref, options, progress),
    });
    await step('container recovery', () => containers.recover());
    await step('builder repair', () => builder.repair());
    if (config.seedBusybox) await step('busybox seed', () => seedBusybox(images));
    return { db, events, content, layers, rootfs, images, runtime, containers, containerFs, builder, distribution, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
