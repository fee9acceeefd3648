// Engine container → Docker's container inspect and list (summary) JSON.
import * as path from 'node:path';
import type { Container, ContainerState } from '../../container/types';
import type { ImageService } from '../../image/types';
import type { LayerStore, RootfsStore } from '../../snapshot/types';
import { humanDuration, unixSeconds, ZERO_TIME } from '../time-util';
import { containerNetworks, networkSettings } from './network';

export interface ContainerViewDeps {
  images: ImageService;
  layers: LayerStore;
  rootfs: RootfsStore;
  /** Exec instances of a container (inspect's ExecIDs). */
  execIds?: (containerId: string) => string[];
}

export const GRAPH_DRIVER_NAME = 'overlay2';

/** Docker's State.String(): "Up 3 seconds", "Exited (0) 2 minutes ago", "Created"... */
export function statusText(state: ContainerState, nowMs = Date.now()): string {
  const since = (t: string) => humanDuration(Math.max(0, (nowMs - Date.parse(t)) / 1000));
  switch (state.Status) {
    case 'running':
    case 'paused':
      if (state.Paused) return `Up ${since(state.StartedAt)} (Paused)`;
      // Docker's Health.String(): "health: starting", "healthy", "unhealthy".
      if (state.Health) return `Up ${since(state.StartedAt)} (${state.Health.Status === 'starting' ? 'health: starting' : state.Health.Status})`;
      return `Up ${since(state.StartedAt)}`;
    case 'restarting':
      return `Restarting (${state.ExitCode}) ${since(state.FinishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'created':
      return 'Created';
    case 'exited':
      if (!state.StartedAt || state.StartedAt.startsWith('0001-')) return 'Created';
      if (!state.FinishedAt || state.FinishedAt.startsWith('0001-')) return '';
      return `Exited (${state.ExitCode}) ${since(state.FinishedAt)} ago`;
  }
}

/** Docker's "Command" column: path plus args, args with spaces single-quoted. */
export function commandText(container: Container): string {
  if (container.args.length === 0) return container.path;
  const args = container.args.map((a) => (a.includes(' ') ? `'${a}'` : a));
  return `${container.path} ${args.join(' ')}`;
}

/** The image column: the name the user gave, or the ID once that name points elsewhere. */
function imageColumn(container: Container, images: ImageService): string {
  const ref = container.config.Image;
  try {
    const img = images.find(ref);
    if (img && img.id === container.imageId) return ref;
  } catch {
    // An unparsable stored reference falls back to the ID.
  }
  return container.imageId;
}

function graphDriver(container: Container, deps: ContainerViewDeps): Record<string, unknown> {
  const data: Record<string, string> = {};
  try {
    const image = deps.images.find(container.imageId);
    if (image?.chainId) data.LowerDir = deps.layers.lowerDirs(image.chainId).join(':');
  } catch {
    // Image or layers gone (forced removal): show what we still know.
  }
  const upper = deps.rootfs.upperDir(container.id);
  data.MergedDir = deps.rootfs.rootfsPath(container.id);
  data.UpperDir = upper;
  data.WorkDir = path.join(path.dirname(upper), 'work');
  return { Data: data, Name: GRAPH_DRIVER_NAME };
}

function execIds(container: Container, deps: ContainerViewDeps): string[] | null {
  const ids = deps.execIds?.(container.id) ?? [];
  return ids.length > 0 ? ids : null;
}

export function containerInspectJson(
  container: Container,
  deps: ContainerViewDeps,
  sizes?: { sizeRw: number; sizeRootFs: number },
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    Id: container.id,
    Created: container.created,
    Path: container.path,
    Args: container.args,
    State: { ...container.state, StartedAt: container.state.StartedAt || ZERO_TIME, FinishedAt: container.state.FinishedAt || ZERO_TIME },
    Image: container.imageId,
    ResolvConfPath: container.resolvConfPath,
    HostnamePath: container.hostnamePath,
    HostsPath: container.hostsPath,
    LogPath: container.logPath,
    Name: '/' + container.name,
    RestartCount: container.restartCount,
    Driver: GRAPH_DRIVER_NAME,
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIds(container, deps),
    HostConfig: container.hostConfig,
    GraphDriver: graphDriver(container, deps),
  };
  if (sizes) {
    body.SizeRw = sizes.sizeRw;
    body.SizeRootFs = sizes.sizeRootFs;
  }
  body.Mounts = [];
  body.Config = container.config;
  body.NetworkSettings = networkSettings(container);
  return body;
}

export function containerSummaryJson(
  container: Container,
  deps: ContainerViewDeps,
  sizes?: { sizeRw: number; sizeRootFs: number },
  nowMs = Date.now(),
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    Id: container.id,
    Names: ['/' + container.name],
    Image: imageColumn(container, deps.images),
    ImageID: container.imageId,
    Command: commandText(container),
    Created: unixSeconds(container.created),
    Ports: [],
  };
  if (sizes) {
    body.SizeRw = sizes.sizeRw;
    body.SizeRootFs = sizes.sizeRootFs;
  }
  Object.assign(body, {
    Labels: container.config.Labels ?? {},
    State: container.state.Status,
    Status: statusText(container.state, nowMs),
    HostConfig: { NetworkMode: container.hostConfig.NetworkMode },
    NetworkSettings: { Networks: containerNetworks(container) },
    Mounts: [],
  });
  return body;
}
