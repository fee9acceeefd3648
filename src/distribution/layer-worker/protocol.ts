// Messages between the daemon, its layer worker threads, and the two halves of
// one layer job (a fetch thread and an unpack thread joined by a MessagePort).
import type { MessagePort } from 'node:worker_threads';
import type { ErrorKind } from '../../errors';

/** One layer to download, verify and unpack. Paths are temp paths the stores handed out. */
export interface LayerJob {
  url: string;
  headers: Record<string, string>;
  insecure: boolean;
  digest: string;
  size: number;
  /** The content store's temp file for the compressed blob. */
  blobPath: string;
  /** The layer store's empty temp dir to unpack into. */
  diffDir: string;
}

/** Daemon → worker: take one half of a job, or stop the current one (closing its files). */
export type WorkerTask =
  | { type: 'fetch' | 'unpack'; job: LayerJob; port: MessagePort }
  | { type: 'abort'; message: string };

/**
 * Fetch half ↔ unpack half: compressed bytes in order, acknowledged once consumed;
 * the ack hands the batch's memory back for reuse when nothing refers to it any more.
 */
export type PipeMessage =
  | { type: 'data'; chunk: Uint8Array }
  | { type: 'end' }
  | { type: 'ack'; bytes: number; buffer?: ArrayBuffer };

/** Worker → daemon. */
export type WorkerMessage =
  | { type: 'bytes'; received: number }
  | { type: 'blob'; digest: string; size: number }
  | { type: 'layer'; diffId: string; size: number }
  /** This half is over: no file of it is open any more. */
  | { type: 'done' }
  | { type: 'error'; kind: ErrorKind; message: string };
