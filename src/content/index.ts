export type { BlobInfo, ContentStore } from './types';
import { FsContentStore } from './blob-store';
import type { ContentStore } from './types';

export function createContentStore(root: string): ContentStore {
  return new FsContentStore(root);
}
