// Messages between the daemon and a layer worker thread.
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

export type WorkerMessage =
  | { type: 'bytes'; received: number }
  | { type: 'blob'; digest: string; size: number }
  | { type: 'layer'; diffId: string; size: number }
  /** The job is over: no file of it is open any more. */
  | { type: 'done' }
  | { type: 'error'; kind: ErrorKind; message: string };
