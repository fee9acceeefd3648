// What the lifecycle modules share: dependencies, the record store, per-container
// locks, waiters, and event helpers.
import * as path from 'node:path';
import type { EventBus } from '../events';
import type { ImageService } from '../image/types';
import type { ContainerRuntime } from '../runtime';
import type { LayerStore, RootfsStore } from '../snapshot/types';
import type { MetadataDb } from '../store';
import { KeyedMutex } from './locks';
import type { LogConfig } from './log-config';
import type { LogRotator } from './log-rotation';
import type { ContainerRepository } from './repository';
import type { Container } from './types';
import type { Waiters } from './waiters';
import type { PendingAttaches } from './attach';

export interface ContainerServiceDeps {
  db: MetadataDb;
  root: string; // DataLayout.containersRoot
  images: ImageService;
  layers: LayerStore;
  rootfs: RootfsStore;
  runtime: ContainerRuntime;
  events: EventBus;
  cgroupParent: string;
  /** Daemon --init / --init-path: the default for containers whose HostConfig.Init is unset. */
  init?: { enabled: boolean; path?: string };
  /** The daemon's --log-driver/--log-opt: merged into a container's LogConfig at create. */
  logDefaults?: LogConfig;
}

export interface ServiceContext extends ContainerServiceDeps {
  repo: ContainerRepository;
  locks: KeyedMutex;
  waiters: Waiters;
  /** Attach sessions waiting for their container's next start. */
  pendingAttaches: PendingAttaches;
  /** Called when a container starts again or is removed: its exec instances are forgotten. */
  forgetExecs: (id: string) => void;
  /** Rotates the logs of running containers with max-size and max-file > 1. */
  logRotator: LogRotator;
  /** Set by close(): exits are left for the next daemon's recover(). */
  closed: boolean;
}

export function containerDir(ctx: ServiceContext, id: string): string {
  return path.join(ctx.root, id);
}

export function bundleDir(ctx: ServiceContext, id: string): string {
  return path.join(ctx.root, id, 'bundle');
}

/** Docker's event attributes: the labels, then image and name. */
export function eventAttributes(c: Container, extra: Record<string, string> = {}): Record<string, string> {
  return { ...c.config.Labels, image: c.config.Image, name: c.name, ...extra };
}

export function publish(ctx: ServiceContext, action: string, c: Container, extra?: Record<string, string>): void {
  ctx.events.publish('container', action, c.id, eventAttributes(c, extra));
}

export function isRunningState(c: Container): boolean {
  return c.state.Running || c.state.Status === 'running' || c.state.Status === 'paused' || c.state.Status === 'restarting';
}
