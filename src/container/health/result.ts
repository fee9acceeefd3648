// dockerd's handleProbeResult: the last five runs are kept; a success makes the container
// healthy; failures count towards `retries` except while it is still starting within its
// start period.
import type { HealthLogEntry, HealthState } from '../types';
import type { HealthPlan } from './config';

export const MAX_LOG_ENTRIES = 5;

export function applyProbeResult(health: HealthState, entry: HealthLogEntry, plan: HealthPlan, startedAtMs: number, probeStartMs: number): HealthState {
  const log = [...health.Log, entry].slice(-MAX_LOG_ENTRIES);
  if (entry.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log: log };
  const withinStartPeriod = health.Status === 'starting' && probeStartMs - startedAtMs < plan.startPeriodMs;
  if (withinStartPeriod) return { ...health, Log: log };
  const streak = health.FailingStreak + 1;
  return { Status: streak >= plan.retries ? 'unhealthy' : health.Status, FailingStreak: streak, Log: log };
}

/** Delay before the next probe: the start interval while starting within the start period. */
export function nextDelayMs(plan: HealthPlan, status: HealthState['Status'], startedAtMs: number, nowMs = Date.now()): number {
  if (nowMs - startedAtMs >= plan.startPeriodMs) return plan.intervalMs;
  return status === 'starting' ? plan.startIntervalMs : plan.intervalMs;
}
