// The effective healthcheck of a container: Docker's defaults applied to Config.Healthcheck
// (durations in nanoseconds there, milliseconds here) and the probe's argv.
import type { ContainerConfig } from '../types';

export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_START_PERIOD_MS = 0;
export const DEFAULT_START_INTERVAL_MS = 5_000;
export const DEFAULT_RETRIES = 3;

export interface HealthPlan {
  /** argv to run; empty for "CMD" without a command (each run then fails as in dockerd). */
  argv: string[];
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  startIntervalMs: number;
  retries: number;
}

const msOr = (ns: number | undefined, fallback: number): number => (ns && ns > 0 ? ns / 1e6 : fallback);

/** undefined when no probe runs: no healthcheck, Test empty or ["NONE"], or an unknown type. */
export function healthPlan(config: ContainerConfig): HealthPlan | undefined {
  const hc = config.Healthcheck;
  const test = hc?.Test;
  if (!hc || !test || test.length === 0) return undefined;
  let argv: string[];
  if (test[0] === 'CMD') argv = test.slice(1);
  else if (test[0] === 'CMD-SHELL') argv = test.length > 1 ? [...(config.Shell?.length ? config.Shell : ['/bin/sh', '-c']), ...test.slice(1)] : [];
  else return undefined;
  return {
    argv,
    intervalMs: msOr(hc.Interval, DEFAULT_INTERVAL_MS),
    timeoutMs: msOr(hc.Timeout, DEFAULT_TIMEOUT_MS),
    startPeriodMs: msOr(hc.StartPeriod, DEFAULT_START_PERIOD_MS),
    startIntervalMs: msOr(hc.StartInterval, DEFAULT_START_INTERVAL_MS),
    retries: hc.Retries && hc.Retries > 0 ? hc.Retries : DEFAULT_RETRIES,
  };
}

/** Go's time.Duration.String() for a millisecond count ("500ms", "1s", "1m30s", "1.5s"). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  let rest = ms / 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const s = `${trim(Number(rest.toFixed(9)))}s`;
  if (h > 0) return `${h}h${m}m${s}`;
  if (m > 0) return `${m}m${s}`;
  return s;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
