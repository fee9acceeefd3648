// Container filesystem operations (docker cp / export / diff / commit) contract.
import type { Readable } from 'node:stream';
import type { PathStat } from './path-stat';

export type { PathStat } from './path-stat';

/** Docker's change kinds: 0 modified, 1 added, 2 deleted. */
export type ChangeKind = 0 | 1 | 2;
export interface FilesystemChange { Path: string; Kind: ChangeKind }

export interface PutArchiveOptions {
  /** Refuse to replace a directory with a non-directory or the reverse. */
  noOverwriteDirNonDir: boolean;
  /** Own every extracted entry by the container's User (when it has one). */
  copyUIDGID: boolean;
}

export interface CommitOptions {
  reference?: string; // "repo[:tag]"
  author?: string;
  comment?: string;
  /** Pause a running container while its changes are read (Docker's default). */
  pause: boolean;
  /** Dockerfile instructions applied to the config (CMD, ENV, ...). */
  changes: string[];
  /** Config overrides from the request body (Docker's container Config shape). */
  config?: Record<string, unknown>;
}

export interface ContainerFsService {
  /** HEAD archive: NotFoundError "Could not find the file X in container Y". */
  statPath(idOrName: string, path: string): Promise<PathStat>;
  /** GET archive: the stat and a tar of the path (a directory's tree or one entry). */
  getArchive(idOrName: string, path: string): Promise<{ stat: PathStat; tar: Readable }>;
  /** PUT archive: extract a tar (plain or gzip) into the directory at `path`. */
  putArchive(idOrName: string, path: string, tar: Readable, options: PutArchiveOptions): Promise<void>;
  /** GET export: a tar of the whole (merged) filesystem. */
  exportFs(idOrName: string): Promise<Readable>;
  /** GET changes: what differs from the image. */
  changes(idOrName: string): Promise<FilesystemChange[]>;
  /** POST /commit: a new image; returns its ID. */
  commit(idOrName: string, options: CommitOptions): Promise<string>;
}
