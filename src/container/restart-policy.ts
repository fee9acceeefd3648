// Restart policies (always / unless-stopped / on-failure[:N]) with Docker's backoff:
// 100 ms doubling per quick restart, reset after 10 s of running, capped at 1 minute.
// While waiting the container is "restarting".
import { log } from '../util/logger';
import { publish, type ServiceContext } from './context';
import { startLocked } from './lifecycle';
import type { Container } from './types';

const INITIAL_DELAY_MS = 100;
const MAX_DELAY_MS = 60000;
const RESET_AFTER_MS = 10000;

export function shouldRestart(c: Container, onDaemonStart: boolean): boolean {
  const policy = c.hostConfig.RestartPolicy?.Name ?? 'no';
  if (policy === 'always') return onDaemonStart || !c.manuallyStopped;
  if (c.manuallyStopped) return false;
  if (policy === 'unless-stopped') return true;
  if (policy === 'on-failure') {
    const max = c.hostConfig.RestartPolicy.MaximumRetryCount ?? 0;
    return c.state.ExitCode !== 0 && (max === 0 || c.restartCount < max);
  }
  return false;
}

export class RestartManager {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly delays = new Map<string, number>();

  constructor(private readonly ctx: ServiceContext) {}

  /** Called after an exit was recorded (not under the lock). */
  afterExit(c: Container): void {
    if (this.ctx.closed || !shouldRestart(c, false)) return;
    const ran = Date.parse(c.state.FinishedAt) - Date.parse(c.state.StartedAt);
    let delay = this.delays.get(c.id) ?? INITIAL_DELAY_MS;
    if (ran >= RESET_AFTER_MS) delay = INITIAL_DELAY_MS;
    this.delays.set(c.id, Math.min(delay * 2, MAX_DELAY_MS));
    this.ctx.repo.saveState(c.id, { Status: 'restarting', Restarting: true });
    this.schedule(c.id, delay);
  }

  /** Daemon start: bring back what the policies say should run. */
  onDaemonStart(): void {
    for (const { container: c } of this.ctx.repo.all()) {
      if (c.state.Status !== 'exited' || c.state.StartedAt.startsWith('0001-')) continue;
      if (shouldRestart(c, true)) this.schedule(c.id, 0);
    }
  }

  private schedule(id: string, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void this.ctx.locks.run(id, async () => {
        const rec = this.ctx.repo.find(id);
        if (!rec || this.ctx.closed) return;
        const c = rec.container;
        if (c.state.Status !== 'restarting' && c.state.Status !== 'exited') return;
        this.ctx.repo.saveState(id, { Status: 'exited', Restarting: false }, { restartCount: c.restartCount + 1 });
        try {
          await startLocked(this.ctx, id);
          publish(this.ctx, 'restart', this.ctx.repo.resolve(id).container);
        } catch (err) {
          log.warn('restart policy: start failed', { id, error: (err as Error).message });
        }
      });
    }, delay);
    timer.unref();
    this.timers.set(id, timer);
  }

  /** A user action (stop/restart/remove) overrides a pending policy restart. */
  async cancel(id: string): Promise<void> {
    const timer = this.timers.get(id);
    this.delays.delete(id);
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(id);
    await this.ctx.locks.run(id, async () => {
      const rec = this.ctx.repo.find(id);
      if (rec?.container.state.Status === 'restarting') {
        this.ctx.repo.saveState(id, { Status: 'exited', Restarting: false }, { manuallyStopped: true });
      }
    });
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
