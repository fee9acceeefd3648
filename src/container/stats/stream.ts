// The stats records a client gets (moby's ContainerStats semantics): streaming, one
// record per second with precpu_stats/preread from the record before; non-streaming,
// one record whose pre* fields come from a sample taken a second earlier, unless
// one-shot; zeroed records while the container is not running.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Container } from '../types';
import { sampleStats, zeroStats } from './sample';
import type { ContainerStats, StatsOptions } from './types';

export const STATS_INTERVAL_MS = 1000;

function isLive(c: Container): boolean {
  return (c.state.Status === 'running' || c.state.Status === 'paused') && !c.state.Restarting;
}

function sample(c: Container, cgroupParent: string): ContainerStats {
  return (isLive(c) ? sampleStats(c, cgroupParent) : undefined) ?? zeroStats(c);
}

/**
 * Records for the container `get` returns (re-read every interval; undefined = removed,
 * which ends the stream). Ends when `signal` aborts.
 */
export async function* statsRecords(
  get: () => Container | undefined, cgroupParent: string, options: StatsOptions, signal?: AbortSignal,
): AsyncGenerator<ContainerStats> {
  const first = get();
  if (!first) return;
  if (!options.stream) {
    if (!isLive(first) || options.oneShot) { yield sample(first, cgroupParent); return; }
    const before = sample(first, cgroupParent);
    if (!(await pause(signal))) return;
    const now = get();
    if (!now) return;
    const rec = sample(now, cgroupParent);
    rec.preread = before.read;
    rec.precpu_stats = before.cpu_stats;
    yield rec;
    return;
  }
  let previous: ContainerStats | undefined;
  for (let c: Container | undefined = first; c; c = get()) {
    const rec = sample(c, cgroupParent);
    if (previous) {
      rec.preread = previous.read;
      rec.precpu_stats = previous.cpu_stats;
    }
    previous = rec;
    yield rec;
    if (!(await pause(signal))) return;
  }
}

/** Waits one interval; false when aborted. */
async function pause(signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(STATS_INTERVAL_MS, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
