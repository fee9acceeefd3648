// Restart policies (always / unless-stopped / on-failure[:N]) as moby's restartmanager:
// the delay starts at 100 ms and doubles per restart, is reset once a run lasted 10 s,
// and is capped at 1 minute. While waiting the container is "restarting" (Running and
// Restarting both true, as dockerd reports it) and RestartCount is already incremented.
// A user stop/kill/remove cancels the wait; a failed policy start ends the loop.
import { log } from '../util/logger';
import type { ServiceContext } from './context';
import { startLocked } from './lifecycle';
import type { Container } from './types';

const INITIAL_DELAY_MS = 100;
const MAX_DELAY_MS = 60000;
const RESET_AFTER_MS = 10000;

/**
 * moby's ShouldRestart. After an exit the user's stop/kill has already cancelled the
 * manager (`manuallyStopped`); at daemon start `always` ignores that and `on-failure`
 * only looks at the exit code and count, exactly as dockerd's restore does.
 */
export function shouldRestart(c: Container, onDaemonStart: boolean): boolean {
  const policy = c.hostConfig.RestartPolicy?.Name ?? 'no';
  if (policy === 'always') return onDaemonStart || !c.manuallyStopped;
  if (policy === 'unless-stopped') return !c.manuallyStopped;
  if (policy === 'on-failure') {
    if (!onDaemonStart && c.manuallyStopped) return false;
    const max = c.hostConfig.RestartPolicy.MaximumRetryCount ?? 0;
    return c.state.ExitCode !== 0 && (max === 0 || c.restartCount < max);
  }
  return false;
}

interface Pending { timer: NodeJS.Timeout; resetCount: boolean }

export class RestartManager {
  private readonly pending = new Map<string, Pending>();
  /** Next backoff delay per container (moby keeps it in the container's restart manager). */
  private readonly delays = new Map<string, number>();

  constructor(private readonly ctx: ServiceContext) {}

  /** Called after an exit was recorded (not under the lock). */
  afterExit(c: Container): void {
    if (this.ctx.closed || !shouldRestart(c, false)) {
      this.delays.delete(c.id);
      return;
    }
    const ran = Date.parse(c.state.FinishedAt) - Date.parse(c.state.StartedAt);
    let delay = this.delays.get(c.id) ?? INITIAL_DELAY_MS;
    if (!(ran < RESET_AFTER_MS)) delay = INITIAL_DELAY_MS;
    this.delays.set(c.id, Math.min(delay * 2, MAX_DELAY_MS));
    this.ctx.repo.saveState(c.id, { Status: 'restarting', Restarting: true, Running: true }, { restartCount: c.restartCount + 1 });
    this.schedule(c.id, delay, false);
  }

  /** Daemon start: bring back what the policies say should run (dockerd resets the count). */
  onDaemonStart(): void {
    for (const { container: c } of this.ctx.repo.all()) {
      if (c.state.Status !== 'exited' || c.state.StartedAt.startsWith('0001-')) continue;
      if (shouldRestart(c, true)) this.schedule(c.id, 0, true);
    }
  }

  /** A user start gets a fresh back-off (dockerd creates a new restart manager). */
  resetBackoff(id: string): void {
    if (!this.pending.has(id)) this.delays.delete(id);
  }

  private schedule(id: string, delay: number, resetCount: boolean): void {
    const entry: Pending = {
      resetCount,
      timer: setTimeout(() => {
        void this.ctx.locks.run(id, async () => {
          // A cancel() that ran while we waited for the lock removed (or replaced) the entry.
          if (this.pending.get(id) !== entry) return;
          this.pending.delete(id);
          const rec = this.ctx.repo.find(id);
          if (!rec || this.ctx.closed) return;
          const c = rec.container;
          if (c.state.Status !== 'restarting' && c.state.Status !== 'exited') return;
          this.ctx.repo.saveState(id, { Status: 'exited', Restarting: false, Running: false });
          try {
            await startLocked(this.ctx, id, { resetRestartCount: entry.resetCount });
          } catch (err) {
            // As dockerd: the loop ends; the container stays exited with the start error.
            this.delays.delete(id);
            log.warn('restart policy: start failed', { id, error: (err as Error).message });
          }
        });
      }, delay),
    };
    entry.timer.unref();
    this.pending.set(id, entry);
  }

  /**
   * A user action (stop/kill/restart/remove/start) overrides the policy: a pending restart
   * is dropped and the container left exited, with the backoff reset. Returns true when a
   * restart was pending (the caller then has nothing to signal).
   */
  async cancel(id: string, options: { manual?: boolean } = {}): Promise<boolean> {
    this.delays.delete(id);
    const entry = this.pending.get(id);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    await this.ctx.locks.run(id, async () => {
      const rec = this.ctx.repo.find(id);
      if (rec?.container.state.Status === 'restarting') {
        const updated = this.ctx.repo.saveState(id, { Status: 'exited', Restarting: false, Running: false }, { manuallyStopped: options.manual ?? true });
        this.ctx.waiters.exited(id, { StatusCode: updated.container.state.ExitCode });
      }
    });
    return true;
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}

