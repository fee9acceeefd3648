// One uncompressed layer tar, streamed once: teed into the content store (the layer
// blob) and the layer store (unpacked on `parentChainId`). When either side fails
// the other is stopped and whatever either stored is undone.
import { PassThrough, type Readable } from 'node:stream';
import { InvalidArgumentError } from '../errors';
import type { ImageContext } from './context';
import { rollbackAdded } from './rollback';

export interface IngestedLayer {
  digest: string;
  size: number;
  diffId: string;
  chainId: string;
  /** What this ingest stored, for rollbackAdded if the caller fails later. */
  added: { chainIds: string[]; blobs: string[] };
}

/** `what` names the operation in the mismatch error ("committing", "importing"). */
export async function ingestLayer(ctx: ImageContext, parentChainId: string | null, source: Readable, what: string): Promise<IngestedLayer> {
  const toBlob = new PassThrough({ highWaterMark: 1 << 20 });
  const toLayer = new PassThrough({ highWaterMark: 1 << 20 });
  const stopAll = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    source.destroy(e);
    toBlob.destroy(e);
    toLayer.destroy(e);
  };
  source.on('error', stopAll);
  source.pipe(toBlob);
  source.pipe(toLayer);
  const [blobResult, layerResult] = await Promise.allSettled([
    ctx.content.ingest(toBlob).catch((err: unknown) => { stopAll(err); throw err; }),
    ctx.layers.applyLayer(parentChainId, toLayer).catch((err: unknown) => { stopAll(err); throw err; }),
  ]);
  const added = {
    chainIds: layerResult.status === 'fulfilled' ? [layerResult.value.chainId] : [],
    blobs: blobResult.status === 'fulfilled' ? [blobResult.value.digest] : [],
  };
  try {
    if (layerResult.status === 'rejected') throw layerResult.reason;
    if (blobResult.status === 'rejected') throw blobResult.reason;
    const blob = blobResult.value;
    const layer = layerResult.value;
    if (blob.digest !== layer.diffId) throw new InvalidArgumentError(`layer digest changed while ${what}`);
    return { digest: blob.digest, size: blob.size, diffId: layer.diffId, chainId: layer.chainId, added };
  } catch (err) {
    await rollbackAdded(ctx, added).catch(() => undefined);
    throw err;
  }
}
