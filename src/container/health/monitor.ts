// Health monitor: one probe loop per running container with a healthcheck, driven by the
// container's own events (start → reset to "starting" and probe; die/pause/destroy → stop;
// unpause → probe again). Results update State.Health in memory; a status change is
// persisted and published as Docker's "health_status: <status>" event.
import { randomBytes } from 'node:crypto';
import type { EngineEvent } from '../../events';
import { nowRfc3339Nano, rfc3339ToSeconds, type ProbeResult } from '../../runtime';
import { log } from '../../util/logger';
import { publish, type ServiceContext } from '../context';
import type { Container, HealthLogEntry, HealthState } from '../types';
import { goDuration, healthPlan, type HealthPlan } from './config';
import { applyProbeResult, nextDelayMs } from './result';

interface Loop {
  plan: HealthPlan;
  startedAtMs: number;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

export class HealthMonitor {
  private readonly loops = new Map<string, Loop>();
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ServiceContext) {
    this.unsubscribe = ctx.events.subscribe((e) => this.onEvent(e));
  }

  private onEvent(e: EngineEvent): void {
    if (e.Type !== 'container' || this.ctx.closed) return;
    switch (e.Action) {
      case 'start': this.init(e.Actor.ID); break;
      case 'unpause': this.ensure(e.Actor.ID); break;
      case 'die': case 'pause': case 'destroy': this.stop(e.Actor.ID); break;
      default: break;
    }
  }

  /** Daemon start: running containers are probed again from "starting" (dockerd's restore). */
  recover(): void {
    for (const { container: c } of this.ctx.repo.all()) {
      if (c.state.Status === 'running' || c.state.Status === 'paused') this.init(c.id);
    }
  }

  close(): void {
    this.unsubscribe();
    for (const id of [...this.loops.keys()]) this.stop(id);
  }

  /** Fresh "starting" state (the log is kept) and a new loop, for a (re)started container. */
  private init(id: string): void {
    const c = this.ctx.repo.find(id)?.container;
    if (!c || !healthPlan(c.config)) return;
    this.stop(id);
    const health: HealthState = { Status: 'starting', FailingStreak: 0, Log: c.state.Health?.Log ?? [] };
    this.ctx.repo.saveState(id, { Health: health });
    this.ensure(id);
  }

  private ensure(id: string): void {
    if (this.loops.has(id)) return;
    const c = this.ctx.repo.find(id)?.container;
    const plan = c ? healthPlan(c.config) : undefined;
    if (!c || !plan || c.state.Status !== 'running' || !c.state.Health) return;
    const loop: Loop = { plan, startedAtMs: rfc3339ToSeconds(c.state.StartedAt) * 1000, stopped: false };
    this.loops.set(id, loop);
    this.schedule(id, loop, c.state.Health.Status);
  }

  private stop(id: string): void {
    const loop = this.loops.get(id);
    if (!loop) return;
    loop.stopped = true;
    if (loop.timer) clearTimeout(loop.timer);
    this.loops.delete(id);
  }

  private schedule(id: string, loop: Loop, status: HealthState['Status']): void {
    loop.timer = setTimeout(() => { void this.tick(id, loop); }, nextDelayMs(loop.plan, status, loop.startedAtMs));
    loop.timer.unref();
  }

  private async tick(id: string, loop: Loop): Promise<void> {
    const c = this.ctx.repo.find(id)?.container;
    if (loop.stopped || !c) return;
    const startMs = Date.now();
    const start = nowRfc3339Nano();
    const result = await this.runProbe(c, loop.plan);
    // Stopped meanwhile (exit, pause, removal, restart): the result belongs to an old run.
    if (loop.stopped || this.loops.get(id) !== loop) return;
    const current = this.ctx.repo.find(id)?.container;
    if (!current?.state.Health || current.state.Status !== 'running') return;
    const entry: HealthLogEntry = { Start: start, End: nowRfc3339Nano(), ExitCode: result.exitCode, Output: result.output };
    const before = current.state.Health;
    const after = applyProbeResult(before, entry, loop.plan, loop.startedAtMs, startMs);
    if (after.Status !== before.Status) {
      const rec = this.ctx.repo.saveState(id, { Health: after });
      publish(this.ctx, `health_status: ${after.Status}`, rec.container);
    } else {
      this.ctx.repo.updateStateInMemory(id, { Health: after });
    }
    this.schedule(id, loop, after.Status);
  }

  /** One run with dockerd's exec events; failures to run become exit code -1 with the error text. */
  private async runProbe(c: Container, plan: HealthPlan): Promise<Pick<ProbeResult, 'exitCode' | 'output'>> {
    if (plan.argv.length === 0) return { exitCode: -1, output: `healthcheck for container ${c.id} has no command` };
    const execID = randomBytes(32).toString('hex');
    const command = plan.argv.join(' ');
    publish(this.ctx, `exec_create: ${command}`, c, { execID });
    publish(this.ctx, `exec_start: ${command}`, c, { execID });
    let result: Pick<ProbeResult, 'exitCode' | 'output'>;
    try {
      const r = await this.ctx.runtime.probe(c.id, plan.argv, { timeoutMs: plan.timeoutMs });
      const limit = goDuration(plan.timeoutMs);
      result = r.timedOut
        ? { exitCode: -1, output: r.output ? `Health check exceeded timeout (${limit}): ${r.output}` : `Health check exceeded timeout (${limit})` }
        : r;
      if (!r.startFailed) publish(this.ctx, 'exec_die', c, { execID, exitCode: String(r.timedOut ? 137 : r.exitCode) });
    } catch (err) {
      log.warn('health check failed to run', { id: c.id, error: (err as Error).message });
      result = { exitCode: -1, output: (err as Error).message };
    }
    return result;
  }
}
