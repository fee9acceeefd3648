// A layer worker thread: runs one half of a layer job at a time — the fetch half
// (download, hash, blob file) or the unpack half (inflate, diff ID, files) — so
// one layer keeps two cores busy. Every step is synchronous on its thread: on two
// cores, sending each chunk through libuv's pool cost more CPU than the work.
// An 'abort' task stops the current half; it reports only after its files are closed.
import { parentPort } from 'node:worker_threads';
import { isBerthError, errorMessage, type ErrorKind } from '../../errors';
import { runFetchHalf } from './fetch-half';
import type { WorkerMessage, WorkerTask } from './protocol';
import { runUnpackHalf } from './unpack-half';

function post(m: WorkerMessage): void {
  parentPort!.postMessage(m);
}

let current: AbortController | null = null;

parentPort!.on('message', (task: WorkerTask) => {
  if (task.type === 'abort') {
    current?.abort(new Error(task.message));
    return;
  }
  const controller = new AbortController();
  current = controller;
  const run = task.type === 'fetch' ? runFetchHalf : runUnpackHalf;
  run(task.job, task.port, post, controller.signal).then(() => post({ type: 'done' }), (err: unknown) => {
    const kind: ErrorKind = isBerthError(err) ? err.kind : 'internal';
    post({ type: 'error', kind, message: errorMessage(err) });
  }).finally(() => {
    if (current === controller) current = null;
  });
});
