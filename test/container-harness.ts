// A container service on temp roots with real runc/conmon/overlayfs and fake image/layer stores.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createContainerService, type ContainerService, type LogRecord } from '../src/container';
import { EventBus, type EngineEvent } from '../src/events';
import { createRuntime, type ContainerRuntime } from '../src/runtime';
import { openMetadataDb, type MetadataDb } from '../src/store';
import type { ImageRuntimeConfig } from '../src/image/types';
import { cleanupRoots, makeBusyboxRootfs, makeTempRoots, type TempRoots } from './container-fixtures';
import { fakeImages, fakeLayers, fakeRootfs } from './container-fakes';

export interface Harness {
  roots: TempRoots;
  lower: string;
  rootfsRoot: string;
  db: MetadataDb;
  events: EventBus;
  seen: EngineEvent[];
  runtime: ContainerRuntime;
  service: ContainerService;
  /** A second service on the same roots (simulated daemon restart); the old one must be closed first. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export function openHarness(prefix: string, imageConfig?: ImageRuntimeConfig): Harness {
  const roots = makeTempRoots(prefix);
  const lower = path.join(roots.base, 'lower');
  makeBusyboxRootfs(lower);
  const rootfsRoot = path.join(roots.base, 'rootfs');
  fs.mkdirSync(rootfsRoot);
  const events = new EventBus();
  const seen: EngineEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const make = () => {
    const db = openMetadataDb(path.join(roots.base, 'berth.db'));
    const runtime = createRuntime({ runtimePath: 'runc', runtimeRoot: roots.runtimeRoot, conmonRoot: roots.conmonRoot });
    const service = createContainerService({
      db, root: roots.containersRoot, images: fakeImages(imageConfig), layers: fakeLayers(lower), rootfs: fakeRootfs(rootfsRoot, lower),
      runtime, events, cgroupParent: roots.cgroupParent,
    });
    return { db, runtime, service };
  };
  const h: Harness = {
    roots, lower, rootfsRoot, events, seen, ...make(),
    async reopen() {
      const next = make();
      h.db = next.db; h.runtime = next.runtime; h.service = next.service;
      await h.service.recover();
    },
    async close() {
      await h.service.close().catch(() => undefined);
      h.runtime.close();
      try { h.db.close(); } catch { /* closed */ }
      cleanupRoots(roots);
    },
  };
  return h;
}

/** Stops the old service as a dying daemon would: watchers off, DB closed, containers untouched. */
export async function crashService(h: Harness): Promise<void> {
  await h.service.close();
  h.runtime.close();
  h.db.close();
}

export async function collect(stream: NodeJS.ReadableStream): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const rec of stream as AsyncIterable<LogRecord>) out.push(rec);
  return out;
}

export function text(records: LogRecord[], stream?: 'stdout' | 'stderr'): string {
  return Buffer.concat(records.filter((r) => !stream || r.stream === stream).map((r) => r.data)).toString();
}

/** create + wait(next-exit) + start, like `docker run`; resolves with the exit code and container ID. */
export async function run(service: ContainerService, cmd: string[], extra: { name?: string; config?: Record<string, unknown>; hostConfig?: Record<string, unknown> } = {}): Promise<{ id: string; code: number }> {
  const { container } = await service.create({ name: extra.name, config: { Image: 'busybox', Cmd: cmd, ...extra.config }, hostConfig: extra.hostConfig });
  const waited = service.wait(container.id, 'next-exit');
  await service.start(container.id);
  const { StatusCode } = await waited;
  return { id: container.id, code: StatusCode };
}

export function actions(h: Harness, id: string): string[] {
  return h.seen.filter((e) => e.Actor.ID === id).map((e) => (e.Action === 'kill' ? `kill:${e.Actor.Attributes.signal}` : e.Action === 'die' ? `die:${e.Actor.Attributes.exitCode}` : e.Action));
}
