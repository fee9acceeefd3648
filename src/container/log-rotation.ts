// Size-based rotation of running containers' logs (json-file's max-size/max-file).
// conmon's own --log-size-max truncates, so for max-file > 1 berthd rotates: once
// container.log reaches max-size it shifts the set (container.log → .1, .1 → .2, ...,
// dropping the oldest) and asks conmon over its ctl fifo to reopen. conmon keeps
// appending to the renamed file until it reopens, so no line is lost; a file can end
// a little past max-size by what arrived meanwhile.
// Growth is noticed through inotify on the container dir (writes to an idle log cost
// nothing), checked once per event-loop turn, plus a slow timer as a backstop.
import { statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import { reopenLog } from '../runtime';
import { log } from '../util/logger';
import { notifyBeforeRotate, shiftLogFiles } from './log-files';
import { rotationPolicy, type RotationPolicy } from './log-config';
import type { Container } from './types';

const BACKSTOP_MS = 1000;
/** A reopen request conmon has not acted on after this long is sent again. */
const REOPEN_RETRY_MS = 1000;

interface Watched {
  id: string;
  logPath: string;
  bundleDir: string;
  policy: RotationPolicy;
  watcher?: FSWatcher;
  timer: NodeJS.Timeout;
  scheduled: boolean;
  reopenSentAt: number; // 0 when container.log is in place
  rotations: number;
}

export class LogRotator {
  private readonly watched = new Map<string, Watched>();

  /** Starts (or restarts) watching a running container's log; rotates at once when it is already too big. */
  watch(id: string, logPath: string, bundleDir: string, policy: RotationPolicy): void {
    this.unwatch(id);
    const w: Watched = {
      id, logPath, bundleDir, policy, scheduled: false, reopenSentAt: 0, rotations: 0,
      timer: setInterval(() => this.check(w), BACKSTOP_MS),
    };
    w.timer.unref();
    const base = path.basename(logPath);
    try {
      w.watcher = watch(path.dirname(logPath), { persistent: false }, (_event, name) => {
        if (name === base || name === null) this.schedule(w);
      });
      w.watcher.on('error', (err) => log.warn('log rotation watch failed, polling only', { id, error: err.message }));
    } catch (err) {
      log.warn('log rotation watch failed, polling only', { id, error: (err as Error).message });
    }
    this.watched.set(id, w);
    this.check(w);
  }

  unwatch(id: string): void {
    const w = this.watched.get(id);
    if (!w) return;
    this.watched.delete(id);
    clearInterval(w.timer);
    w.watcher?.close();
  }

  /** How many rotations berthd did for a container since it started watching it (tests, debugging). */
  rotations(id: string): number {
    return this.watched.get(id)?.rotations ?? 0;
  }

  close(): void {
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }

  private schedule(w: Watched): void {
    if (w.scheduled) return;
    w.scheduled = true;
    // Every write is an inotify event: one check per event-loop turn is enough.
    setImmediate(() => { w.scheduled = false; this.check(w); });
  }

  private check(w: Watched): void {
    if (this.watched.get(w.id) !== w) return;
    let size: number;
    try {
      size = statSync(w.logPath).size;
    } catch {
      // Renamed away and not reopened yet (or the container is gone): nudge conmon again if it is slow.
      if (w.reopenSentAt && Date.now() - w.reopenSentAt > REOPEN_RETRY_MS) this.reopen(w);
      return;
    }
    w.reopenSentAt = 0;
    if (size < w.policy.maxSize) return;
    try {
      notifyBeforeRotate(w.logPath);
      shiftLogFiles(w.logPath, w.policy.maxFiles);
    } catch (err) {
      log.warn('log rotation failed', { id: w.id, error: (err as Error).message });
      return;
    }
    w.rotations++;
    this.reopen(w);
  }

  private reopen(w: Watched): void {
    w.reopenSentAt = Date.now();
    try {
      if (!reopenLog(w.bundleDir)) log.debug('log reopen: conmon gone', { id: w.id });
    } catch (err) {
      log.warn('log reopen failed', { id: w.id, error: (err as Error).message });
    }
  }
}

/**
 * conmon's --log-size-max truncates the file it writes. With one file that is exactly
 * json-file's max-file=1 rotation. With more files berthd rotates and conmon's limit is
 * only a safety net for when berthd is not running: far above anything a live rotation
 * lets the file reach, so it never cuts into what rotation keeps.
 */
export function conmonLogSizeMax(policy: RotationPolicy | undefined): number | undefined {
  if (!policy) return undefined;
  if (policy.maxFiles <= 1) return policy.maxSize;
  return Math.max(policy.maxSize * policy.maxFiles, policy.maxSize + SAFETY_NET_SLACK);
}

const SAFETY_NET_SLACK = 64 * 1024 * 1024;

/** Watches a running container's log when its policy needs berthd to rotate. */
export function watchContainerLog(rotator: LogRotator, c: Container, bundleDir: string): void {
  const policy = rotationPolicy(c.hostConfig.LogConfig);
  if (policy && policy.maxFiles > 1) rotator.watch(c.id, c.logPath, bundleDir, policy);
}

/** The rotation policy at start; a bad option fails the start with Docker's wording. */
export function startLogPolicy(c: Container): RotationPolicy | undefined {
  try {
    return rotationPolicy(c.hostConfig.LogConfig);
  } catch (err) {
    throw new InvalidArgumentError(`failed to initialize logging driver: ${(err as Error).message}`);
  }
}
