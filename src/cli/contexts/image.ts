// Row contexts of `images` (Docker's imageContext) and `history`.
import type { HistoryItem, ImageSummary } from '../../client/types';
import { makeStruct } from '../format/formatter';
import { ellipsis, humanSize, humanSizeWithPrecision, timeAgo, truncateId } from '../format/units';
import { goTimeString, rfc3339 } from '../format/time';
import type { StructObject } from '../template';

export const DEFAULT_IMAGES_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';
export const DEFAULT_IMAGES_DIGEST_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';

export const IMAGE_HEADERS: Record<string, string> = {
  ID: 'IMAGE ID', Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT', Size: 'SIZE', Containers: 'CONTAINERS', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE',
  VirtualSize: 'VIRTUAL SIZE',
};

/** "docker.io/library/busybox" → "busybox" (Docker's FamiliarName). */
export function familiarName(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

function splitTagged(ref: string): [string, string] | undefined {
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/') || ref.includes('@')) return undefined;
  return [familiarName(ref.slice(0, colon)), ref.slice(colon + 1)];
}

export function isDangling(img: ImageSummary): boolean {
  const tags = img.RepoTags ?? [];
  const digests = img.RepoDigests ?? [];
  return (tags.length === 0 && digests.length === 0)
    || (tags.length === 1 && tags[0] === '<none>:<none>' && digests.length === 1 && digests[0] === '<none>@<none>');
}

export function imageContext(img: ImageSummary, repo: string, tag: string, digest: string, trunc: boolean): StructObject {
  return makeStruct('*formatter.imageContext', {
    ID: () => (trunc ? truncateId(img.Id) : img.Id),
    Repository: () => repo,
    Tag: () => tag,
    Digest: () => digest,
    CreatedSince: () => (img.Created ? timeAgo(img.Created) : ''),
    CreatedAt: () => goTimeString(new Date(img.Created * 1000)),
    Size: () => humanSizeWithPrecision(img.Size, 3),
    Containers: () => (img.Containers === -1 ? 'N/A' : String(img.Containers ?? 0)),
    SharedSize: () => (img.SharedSize === -1 ? 'N/A' : humanSize(img.SharedSize)),
    UniqueSize: () => (img.Size === -1 || img.SharedSize === -1 ? 'N/A' : humanSize(img.Size - img.SharedSize)),
    VirtualSize: () => humanSize(img.VirtualSize ?? img.Size),
  });
}

/** One row per repository:tag (and per digest with --digests), like Docker's imageFormat. */
export function imageRows(img: ImageSummary, trunc: boolean, digests: boolean): StructObject[] {
  if (isDangling(img)) return [imageContext(img, '<none>', '<none>', '<none>', trunc)];
  const repoTags = new Map<string, string[]>();
  const repoDigests = new Map<string, string[]>();
  for (const ref of img.RepoTags ?? []) {
    const parsed = splitTagged(ref);
    if (parsed) repoTags.set(parsed[0], [...(repoTags.get(parsed[0]) ?? []), parsed[1]]);
  }
  for (const ref of img.RepoDigests ?? []) {
    const at = ref.indexOf('@');
    if (at <= 0) continue;
    const repo = familiarName(ref.slice(0, at));
    repoDigests.set(repo, [...(repoDigests.get(repo) ?? []), ref.slice(at + 1)]);
  }
  const rows: StructObject[] = [];
  for (const [repo, tags] of repoTags) {
    const ds = digests ? repoDigests.get(repo) ?? [] : [];
    repoDigests.delete(repo);
    for (const tag of tags) {
      if (ds.length === 0) rows.push(imageContext(img, repo, tag, '<none>', trunc));
      else for (const d of ds) rows.push(imageContext(img, repo, tag, d, trunc));
    }
  }
  for (const [repo, ds] of repoDigests) {
    if (digests) for (const d of ds) rows.push(imageContext(img, repo, '<none>', d, trunc));
    else rows.push(imageContext(img, repo, '<none>', '', trunc));
  }
  return rows;
}

export const DEFAULT_HISTORY_FORMAT = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
export const HISTORY_HEADERS: Record<string, string> = {
  ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT',
};

export function historyContext(h: HistoryItem, trunc: boolean, human: boolean): StructObject {
  return makeStruct('*image.historyContext', {
    ID: () => (trunc && h.Id !== '<missing>' ? truncateId(h.Id) : h.Id),
    CreatedSince: () => (human ? timeAgo(h.Created) : rfc3339(new Date(h.Created * 1000))),
    CreatedAt: () => rfc3339(new Date(h.Created * 1000)),
    CreatedBy: () => {
      const by = (h.CreatedBy ?? '').replace(/\t/g, ' ');
      return trunc ? ellipsis(by, 45) : by;
    },
    Size: () => (human ? humanSizeWithPrecision(h.Size, 3) : String(h.Size)),
    Comment: () => h.Comment ?? '',
  });
}
