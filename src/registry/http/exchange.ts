// One request being served: the raw HTTP objects, the matched endpoint, the caller, and the
// storage it works on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '../auth/authorizer';
import type { Route } from './routes';
import type { BlobStore } from '../storage/blobs';
import type { Layout } from '../storage/layout';
import type { ManifestStore } from '../storage/manifests';
import type { UploadStore } from '../storage/uploads';

export interface Storage {
  layout: Layout;
  blobs: BlobStore;
  uploads: UploadStore;
  manifests: ManifestStore;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  route: Route & { name: string; ref: string };
  identity: Identity;
  storage: Storage;
}

/** "/v2/<name>/blobs/<digest>" etc.: relative Location values (the spec allows them). */
export const locations = {
  blob: (name: string, digest: string) => `/v2/${name}/blobs/${digest}`,
  upload: (name: string, uuid: string) => `/v2/${name}/blobs/uploads/${uuid}`,
  manifest: (name: string, digest: string) => `/v2/${name}/manifests/${digest}`,
};
