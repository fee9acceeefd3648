// Open (create) the storage under a root directory.
import { promises as fsp } from 'node:fs';
import type { Storage } from '../http/exchange';
import { BlobStore } from './blobs';
import { Layout } from './layout';
import { ManifestStore } from './manifests';
import { UploadStore } from './uploads';

export async function openStorage(root: string): Promise<Storage> {
  const layout = new Layout(root);
  for (const dir of [layout.blobsDir, layout.uploadsDir, layout.reposDir]) await fsp.mkdir(dir, { recursive: true });
  const blobs = new BlobStore(layout);
  return { layout, blobs, uploads: new UploadStore(layout, blobs), manifests: new ManifestStore(layout, blobs) };
}
