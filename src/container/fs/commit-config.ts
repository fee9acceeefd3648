// The config of a committed image, as moby builds it: the request's Config (or the
// container's own) with the --change instructions applied, then every field left
// empty filled from the container's config (daemon/commit.go merge()).
import { applyChanges } from '../../image/changes';
import type { ImageRuntimeConfig } from '../../image/types';
import type { ContainerConfig } from '../types';

export type CommitConfig = ImageRuntimeConfig & Record<string, unknown>;

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === ''
  || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

export function commitConfig(container: ContainerConfig, requested: Record<string, unknown> | undefined, changes: string[]): CommitConfig {
  const base = structuredClone((requested ?? container) as CommitConfig);
  const out = applyChanges(base, changes) as CommitConfig;
  const from = container as unknown as CommitConfig;
  if (!out.User) out.User = from.User;
  if (isEmpty(out.ExposedPorts)) out.ExposedPorts = from.ExposedPorts;
  else if (from.ExposedPorts) out.ExposedPorts = { ...from.ExposedPorts, ...out.ExposedPorts };
  if (isEmpty(out.Env)) out.Env = from.Env;
  else {
    const keys = new Set((out.Env ?? []).map((e) => e.split('=')[0]));
    out.Env = [...(out.Env ?? []), ...(from.Env ?? []).filter((e) => !keys.has(e.split('=')[0]))];
  }
  out.Labels = { ...(from.Labels ?? {}), ...(out.Labels ?? {}) };
  if (isEmpty(out.Entrypoint)) {
    if (isEmpty(out.Cmd)) out.Cmd = from.Cmd;
    if (out.Entrypoint === undefined || out.Entrypoint === null) out.Entrypoint = from.Entrypoint;
  }
  if (from.Healthcheck) {
    if (!out.Healthcheck) out.Healthcheck = from.Healthcheck;
    else {
      const h = { ...out.Healthcheck };
      if (isEmpty(h.Test)) h.Test = from.Healthcheck.Test;
      for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
        if (!h[k]) h[k] = from.Healthcheck[k];
      }
      out.Healthcheck = h;
    }
  }
  if (!out.WorkingDir) out.WorkingDir = from.WorkingDir;
  if (isEmpty(out.Volumes)) out.Volumes = from.Volumes ?? undefined;
  else out.Volumes = { ...out.Volumes, ...(from.Volumes ?? {}) };
  if (!out.StopSignal) out.StopSignal = from.StopSignal;
  return out;
}
