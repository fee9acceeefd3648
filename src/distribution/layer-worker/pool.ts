// Layer worker threads for the daemon: each runs one layer job at a time (see
// thread.ts). Workers are reused while pulls keep coming and exit after a short
// idle time; a worker whose job failed or was aborted is terminated, so nothing
// of that job can still be writing when the stores clean up.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InternalError, errorOfKind } from '../../errors';
import type { LayerJob, WorkerMessage } from './protocol';

const IDLE_EXIT_MS = 15_000;

export interface LayerJobEvents {
  onBytes(received: number): void;
  onBlob(info: { digest: string; size: number }): void;
  onLayer(info: { diffId: string; size: number }): void;
}

interface IdleWorker { worker: Worker; timer: NodeJS.Timeout }

export class LayerWorkerPool {
  private readonly idle: IdleWorker[] = [];
  private readonly script = path.join(__dirname, 'thread.js');

  /** Runs a job; resolves once the worker is done with every file of it, rejects with the job's error. */
  run(job: LayerJob, events: LayerJobEvents, signal?: AbortSignal): Promise<void> {
    const worker = this.take();
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (!err) {
          this.park(worker);
          resolve();
          return;
        }
        // Wait until the thread is gone: its writes stop before the stores remove the files.
        worker.terminate().then(() => reject(err), () => reject(err));
      };
      const onMessage = (m: WorkerMessage) => {
        switch (m.type) {
          case 'bytes': events.onBytes(m.received); break;
          case 'blob': events.onBlob({ digest: m.digest, size: m.size }); break;
          case 'layer': events.onLayer({ diffId: m.diffId, size: m.size }); break;
          case 'done': finish(); break;
          case 'error': finish(errorOfKind(m.kind, m.message)); break;
        }
      };
      const onError = (err: Error) => finish(new InternalError(`layer worker failed: ${err.message}`));
      const onExit = (code: number) => finish(new InternalError(`layer worker exited with code ${code}`));
      const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      if (signal?.aborted) { onAbort(); return; }
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref();
      worker.postMessage(job);
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
