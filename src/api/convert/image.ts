// Engine image → Docker's image list (summary) and inspect JSON.
import type { Image, ImageRuntimeConfig } from '../../image/types';
import type { LayerStore } from '../../snapshot/types';
import { versionAtLeast } from '../version';
import { unixSeconds, ZERO_TIME } from '../time-util';
import { GRAPH_DRIVER_NAME } from './container';

function createdOf(image: Image): string {
  return image.config.created ?? image.createdAt ?? ZERO_TIME;
}

export function imageSummaryJson(image: Image, version: string, extra?: { containers?: number; sharedSize?: number }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    Containers: extra?.containers ?? -1,
    Created: unixSeconds(createdOf(image)),
    Id: image.id,
    Labels: image.config.config?.Labels ?? {},
    ParentId: image.parentId ?? '',
    RepoDigests: image.repoDigests,
    RepoTags: image.repoTags,
    SharedSize: extra?.sharedSize ?? -1,
    Size: image.size,
  };
  // VirtualSize was removed in API 1.44; older clients still read it.
  if (!versionAtLeast(version, '1.44')) body.VirtualSize = image.size;
  return body;
}

/** API ≤ 1.45 shows an image's config in the container-config shape (every field present). */
export function imageConfigJson(config: ImageRuntimeConfig | undefined): Record<string, unknown> {
  const c = config ?? {};
  const body: Record<string, unknown> = {
    Hostname: '',
    Domainname: '',
    User: c.User ?? '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
  };
  if (c.ExposedPorts) body.ExposedPorts = c.ExposedPorts;
  Object.assign(body, {
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: c.Env ?? null,
    Cmd: c.Cmd ?? null,
  });
  if (c.Healthcheck) body.Healthcheck = c.Healthcheck;
  if (c.ArgsEscaped) body.ArgsEscaped = c.ArgsEscaped;
  Object.assign(body, {
    Image: '',
    Volumes: c.Volumes ?? null,
    WorkingDir: c.WorkingDir ?? '',
    Entrypoint: c.Entrypoint ?? null,
    OnBuild: c.OnBuild ?? null,
    Labels: c.Labels ?? null,
  });
  if (c.StopSignal) body.StopSignal = c.StopSignal;
  if (c.Shell) body.Shell = c.Shell;
  return body;
}

function imageGraphDriver(image: Image, layers: LayerStore): Record<string, unknown> {
  const data: Record<string, string> = {};
  if (image.chainId) {
    try {
      const dirs = layers.lowerDirs(image.chainId);
      if (dirs.length > 0) data.UpperDir = dirs[0];
      if (dirs.length > 1) data.LowerDir = dirs.slice(1).join(':');
    } catch {
      // Layer rows missing: show the driver without paths rather than fail inspect.
    }
  }
  return { Data: data, Name: GRAPH_DRIVER_NAME };
}

export function imageInspectJson(image: Image, layers: LayerStore, version: string): Record<string, unknown> {
  const cfg = image.config;
  const body: Record<string, unknown> = {
    Id: image.id,
    RepoTags: image.repoTags,
    RepoDigests: image.repoDigests,
    Parent: image.parentId ?? '',
    Comment: cfg.comment ?? '',
    Created: createdOf(image),
  };
  if (!versionAtLeast(version, '1.45')) {
    body.Container = '';
    body.ContainerConfig = imageConfigJson(cfg.container_config);
  }
  Object.assign(body, {
    DockerVersion: cfg.docker_version ?? '',
    Author: cfg.author ?? '',
    Config: imageConfigJson(cfg.config),
    Architecture: cfg.architecture,
  });
  if (cfg.variant) body.Variant = cfg.variant;
  body.Os = cfg.os;
  body.Size = image.size;
  if (!versionAtLeast(version, '1.44')) body.VirtualSize = image.size;
  Object.assign(body, {
    GraphDriver: imageGraphDriver(image, layers),
    RootFS: { Type: 'layers', Layers: cfg.rootfs?.diff_ids ?? [] },
    Metadata: { LastTagTime: image.repoTags.length > 0 ? image.createdAt : ZERO_TIME },
  });
  return body;
}
