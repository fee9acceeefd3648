// Layer worker threads for the daemon. A layer job runs on two of them joined by
// a MessageChannel: the fetch half and the unpack half (see thread.ts). Workers
// are reused while pulls keep coming and exit after a short idle time. When a
// job fails or is aborted, both halves are told to stop and close their files;
// only then (or after a grace period) are the threads terminated and the job
// rejected, so nothing of it is still writing when the stores clean up.
import * as path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { InternalError, errorOfKind } from '../../errors';
import type { LayerJob, WorkerMessage, WorkerTask } from './protocol';

const IDLE_EXIT_MS = 15_000;
/** How long stopped halves get to close their files before they are terminated. */
const ABORT_GRACE_MS = 5_000;

export interface LayerJobEvents {
  onBytes(received: number): void;
  onBlob(info: { digest: string; size: number }): void;
  onLayer(info: { diffId: string; size: number }): void;
}

interface IdleWorker { worker: Worker; timer: NodeJS.Timeout }

export class LayerWorkerPool {
  private readonly idle: IdleWorker[] = [];
  private readonly script = path.join(__dirname, 'thread.js');

  /** Runs a job; resolves once both halves are done with every file, rejects with the job's first error. */
  run(job: LayerJob, events: LayerJobEvents, signal?: AbortSignal): Promise<void> {
    const workers = [this.take(), this.take()];
    return new Promise<void>((resolve, reject) => {
      const running = new Set(workers);
      let failure: Error | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      const detach = () => {
        for (const [w, l] of listeners) { w.off('message', l.message); w.off('error', l.error); w.off('exit', l.exit); }
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(graceTimer);
      };
      const settle = () => {
        detach();
        if (!failure) {
          for (const w of workers) this.park(w);
          resolve();
          return;
        }
        const err = failure;
        Promise.allSettled(workers.map((w) => w.terminate())).then(() => reject(err), () => reject(err));
      };
      const halfOver = (w: Worker) => {
        running.delete(w);
        if (running.size === 0) settle();
      };
      const fail = (err: Error) => {
        if (failure) return;
        failure = err;
        for (const w of running) w.postMessage({ type: 'abort', message: err.message } satisfies WorkerTask);
        graceTimer = setTimeout(settle, ABORT_GRACE_MS);
      };
      const onAbort = () => fail(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      const listeners = new Map(workers.map((w) => [w, {
        message: (m: WorkerMessage) => {
          switch (m.type) {
            case 'bytes': events.onBytes(m.received); break;
            case 'blob': events.onBlob({ digest: m.digest, size: m.size }); break;
            case 'layer': events.onLayer({ diffId: m.diffId, size: m.size }); break;
            case 'done': halfOver(w); break;
            case 'error': fail(errorOfKind(m.kind, m.message)); halfOver(w); break;
          }
        },
        error: (err: Error) => { fail(new InternalError(`layer worker failed: ${err.message}`)); halfOver(w); },
        exit: (code: number) => { fail(new InternalError(`layer worker exited with code ${code}`)); halfOver(w); },
      }] as const));
      for (const [w, l] of listeners) { w.on('message', l.message); w.on('error', l.error); w.on('exit', l.exit); }
      const { port1, port2 } = new MessageChannel();
      if (signal?.aborted) {
        port1.close();
        failure = signal.reason instanceof Error ? signal.reason : new Error('aborted');
        settle();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of workers) w.ref();
      workers[0].postMessage({ type: 'fetch', job, port: port1 } satisfies WorkerTask, [port1]);
      workers[1].postMessage({ type: 'unpack', job, port: port2 } satisfies WorkerTask, [port2]);
    });
  }

  /** Ends every idle worker (daemon shutdown). */
  async close(): Promise<void> {
    const all = this.idle.splice(0);
    await Promise.all(all.map(({ worker, timer }) => { clearTimeout(timer); return worker.terminate(); }));
  }

  private take(): Worker {
    const entry = this.idle.pop();
    if (entry) {
      clearTimeout(entry.timer);
      return entry.worker;
    }
    const worker = new Worker(this.script);
    // An idle worker that dies only leaves the pool; a busy one's job sees its own listeners.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      const i = this.idle.findIndex((e) => e.worker === worker);
      if (i >= 0) { clearTimeout(this.idle[i].timer); this.idle.splice(i, 1); }
    });
    return worker;
  }

  private park(worker: Worker): void {
    worker.unref(); // an idle worker never keeps the daemon alive
    const entry: IdleWorker = {
      worker,
      timer: setTimeout(() => {
        const i = this.idle.indexOf(entry);
        if (i >= 0) this.idle.splice(i, 1);
        void worker.terminate();
      }, IDLE_EXIT_MS).unref(),
    };
    this.idle.push(entry);
  }
}
