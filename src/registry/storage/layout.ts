// Where everything lives under the registry root. Blobs are stored once by digest and shared
// by every repository; a repository only holds small link files naming the blobs it may serve.
//
//   blobs/<alg>/<hex[0:2]>/<hex>                      blob data (layers, configs, manifests)
//   uploads/<uuid>/{data,info.json}                   upload sessions in progress
//   repositories/<name>/_layers/<alg>/<hex>           blob linked into the repository
//   repositories/<name>/_manifests/revisions/<alg>/<hex>  manifest in the repository (JSON: mediaType)
//   repositories/<name>/_manifests/tags/<tag>         tag → manifest digest (text)
//   repositories/<name>/_referrers/<alg>/<subject hex>/<alg>-<hex>  referrer descriptor (JSON)
//   trash/                                            blobs being swept by gc
//
// Repository name components start with [a-z0-9] (see names.ts), so they never collide with
// the "_"-prefixed directories, and a validated name cannot contain "." or ".." components.
import * as path from 'node:path';
import type { Digest } from '../names';

export class Layout {
  readonly blobsDir: string;
  readonly uploadsDir: string;
  readonly reposDir: string;
  readonly trashDir: string;

  constructor(readonly root: string) {
    this.blobsDir = path.join(root, 'blobs');
    this.uploadsDir = path.join(root, 'uploads');
    this.reposDir = path.join(root, 'repositories');
    this.trashDir = path.join(root, 'trash');
  }

  blob(d: Digest): string {
    return path.join(this.blobsDir, d.algorithm, d.hex.slice(0, 2), d.hex);
  }

  upload(uuid: string): string {
    return path.join(this.uploadsDir, uuid);
  }

  repo(name: string): string {
    return path.join(this.reposDir, ...name.split('/'));
  }

  layerLink(name: string, d: Digest): string {
    return path.join(this.repo(name), '_layers', d.algorithm, d.hex);
  }

  revisionsDir(name: string): string {
    return path.join(this.repo(name), '_manifests', 'revisions');
  }

  revision(name: string, d: Digest): string {
    return path.join(this.revisionsDir(name), d.algorithm, d.hex);
  }

  tagsDir(name: string): string {
    return path.join(this.repo(name), '_manifests', 'tags');
  }

  tag(name: string, tag: string): string {
    return path.join(this.tagsDir(name), tag);
  }

  referrersDir(name: string, subject: Digest): string {
    return path.join(this.repo(name), '_referrers', subject.algorithm, subject.hex);
  }

  referrer(name: string, subject: Digest, d: Digest): string {
    return path.join(this.referrersDir(name, subject), `${d.algorithm}-${d.hex}`);
  }
}
