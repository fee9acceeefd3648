// The image service: lookup, list, tag, import/load/save, delete, history, prune.
import type { Readable } from 'node:stream';
import { log } from '../util/logger';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors';
import type { ImageContext } from './context';
import { deleteImage } from './delete';
import { checkFilterKeys, createdSeconds, matchesLabels, filterByReference, parseBool, parseTimestamp } from './filters';
import { importRootfs } from './import';
import { commitContainerLayer } from './commit-container';
import { loadArchive } from './load';
import { familiarString, fullString, parseReference, repositoryName, withDefaultTag } from './reference';
import type { StoredImage } from './repository';
import { saveImages } from './save';
import { findLayerBlob, recordPulled, recordPushed } from './registry-records';
import type { ImageReference } from './reference';
import { parseTagTarget, setTag } from './tagging';
import type {
  Image, ImageCommitRequest, ImageDeleteItem, ImageHistoryItem, ImageImportOptions, ImageLayer, ImageListOptions, ImageService, ImageUsageChecker,
  PulledImageInput, RegistryImageStore,
} from './types';

export class DefaultImageService implements ImageService, RegistryImageStore {
  constructor(private readonly ctx: ImageContext) {}

  get(ref: string): Image {
    const image = this.find(ref);
    if (!image) throw notFound(ref);
    return image;
  }

  find(ref: string): Image | undefined {
    const stored = this.findStored(ref);
    return stored ? this.ctx.repo.toImage(stored) : undefined;
  }

  list(options: ImageListOptions = {}): Image[] {
    const filters = options.filters ?? {};
    checkFilterKeys(filters);
    let images = this.ctx.repo.all().map((s) => this.ctx.repo.toImage(s));
    if (!options.all) {
      // Docker hides intermediate images (untagged parents of other images, e.g. build steps) unless -a.
      const parents = new Set(images.map((i) => i.parentId).filter(Boolean));
      images = images.filter((i) => i.repoTags.length > 0 || i.repoDigests.length > 0 || !parents.has(i.id));
    }
    if (filters.dangling?.length) {
      const dangling = parseBool('dangling', filters.dangling[0]);
      images = images.filter((i) => (i.repoTags.length === 0) === dangling);
    }
    const patterns = filters.reference;
    if (patterns?.length) images = images.flatMap((i) => filterByReference(i, patterns) ?? []);
    if (filters.label?.length) images = images.filter((i) => matchesLabels(i.config.config?.Labels, filters.label));
    if (filters.before?.length) {
      const limit = createdSeconds(this.get(filters.before[0]));
      images = images.filter((i) => createdSeconds(i) < limit);
    }
    if (filters.since?.length) {
      const limit = createdSeconds(this.get(filters.since[0]));
      images = images.filter((i) => createdSeconds(i) > limit);
    }
    if (filters.until?.length) {
      const limit = parseTimestamp(filters.until[0]);
      images = images.filter((i) => createdSeconds(i) < limit);
    }
    return images.sort((a, b) => createdSeconds(b) - createdSeconds(a) || a.id.localeCompare(b.id));
  }

  async importTar(source: Readable, options: ImageImportOptions & { created?: string }): Promise<Image> {
    return this.ctx.repo.toImage(await importRootfs(this.ctx, source, options));
  }

  async commit(request: ImageCommitRequest): Promise<Image> {
    return this.ctx.repo.toImage(await commitContainerLayer(this.ctx, request));
  }

  async load(source: Readable): Promise<{ images: Image[]; messages: string[] }> {
    const { images, messages } = await loadArchive(this.ctx, source);
    return { images: images.map((s) => this.ctx.repo.toImage(s)), messages };
  }

  layerBlob(digest: string): Readable {
    if (!this.ctx.content.has(digest)) throw new NotFoundError(`layer blob ${digest} not found`);
    return this.ctx.content.createReadStream(digest);
  }

  save(refs: string[]): Readable {
    const selected = new Map<string, { image: Image; tags: string[] }>();
    for (const ref of refs) {
      const image = this.get(ref);
      const entry = selected.get(image.id) ?? { image, tags: [] };
      selected.set(image.id, entry);
      const parsed = tryParse(ref);
      if (!parsed || this.isIdRef(ref, image)) continue;
      // `repo:tag` saves that tag; a bare repo name saves all its tags, as Docker does.
      const wanted = parsed.tag || parsed.digest
        ? [familiarString(withDefaultTag(parsed))]
        : image.repoTags.filter((t) => { const r = tryParse(t); return r && r.domain === parsed.domain && r.path === parsed.path; });
      for (const t of wanted) if (image.repoTags.includes(t) && !entry.tags.includes(t)) entry.tags.push(t);
    }
    for (const { image } of selected.values()) this.ctx.events.publish('image', 'save', image.id, { name: image.repoTags[0] ?? image.id });
    return saveImages(this.ctx, [...selected.values()]);
  }

  async tag(source: string, repo: string, tag?: string): Promise<void> {
    const image = this.get(source);
    setTag(this.ctx, image.id, parseTagTarget(repo, tag));
  }

  async remove(ref: string, options: { force?: boolean; noprune?: boolean } = {}): Promise<ImageDeleteItem[]> {
    const stored = this.findStored(ref);
    if (!stored) throw notFound(ref);
    return deleteImage(this.ctx, stored, ref, options.force ?? false, !(options.noprune ?? false));
  }

  history(ref: string): ImageHistoryItem[] {
    const image = this.get(ref);
    const chainIds = this.ctx.layers.chainIds(image.layers.map((l) => l.diffId));
    const sizes = chainIds.map((c) => this.ctx.layers.get(c)?.size ?? 0);
    const entries = image.config.history?.length
      ? image.config.history
      : sizes.map(() => ({ created: image.config.created, created_by: '', comment: '' }));
    let layer = 0;
    const items: ImageHistoryItem[] = entries.map((h) => ({
      Id: '<missing>',
      Created: Math.floor((Date.parse(h.created ?? '') || 0) / 1000),
      CreatedBy: h.created_by ?? '',
      Tags: null,
      Size: 'empty_layer' in h && h.empty_layer ? 0 : (sizes[layer++] ?? 0),
      Comment: h.comment ?? '',
    }));
    // Each image of the parent chain still stored names its own top entry (as Docker shows build steps).
    for (let cur: Image | undefined = image; cur; cur = cur.parentId ? this.find(cur.parentId) : undefined) {
      const top = (cur.config.history?.length ?? 0) - 1;
      if (top < 0 || top >= items.length || items[top].Id !== '<missing>') break;
      items[top].Id = cur.id;
      items[top].Tags = cur.repoTags.length ? cur.repoTags : null;
    }
    items.reverse();
    if (items.length > 0 && items[0].Id === '<missing>') {
      items[0].Id = image.id;
      items[0].Tags = image.repoTags.length ? image.repoTags : null;
    }
    return items;
  }

  async prune(options: { filters?: Record<string, string[]> }): Promise<{ deleted: ImageDeleteItem[]; spaceReclaimed: number }> {
    const filters = options.filters ?? {};
    checkFilterKeys(filters, new Set(['dangling', 'until', 'label', 'label!']));
    const danglingOnly = filters.dangling?.length ? parseBool('dangling', filters.dangling[0]) : true;
    const until = filters.until?.length ? parseTimestamp(filters.until[0]) : undefined;
    const deleted: ImageDeleteItem[] = [];
    const stats = { freed: 0 };
    // As Docker: candidates are images without children; each goes through the
    // normal delete (unforced), and conflicts (containers using it) just skip it.
    for (const stored of this.ctx.repo.all()) {
      if (!this.ctx.repo.byId(stored.id)) continue; // removed as a parent meanwhile
      if (this.ctx.repo.all().some((i) => i.parentId === stored.id)) continue;
      const image = this.ctx.repo.toImage(stored);
      if (until !== undefined && createdSeconds(image) >= until) continue;
      if (filters.label?.length && !matchesLabels(image.config.config?.Labels, filters.label)) continue;
      if (filters['label!']?.length && filters['label!'].some((l) => matchesLabels(image.config.config?.Labels, [l]))) continue;
      const refs = this.ctx.repo.refsOf(stored.id);
      if (danglingOnly && refs.some((r) => r.kind === 'tag')) continue;
      const targets = refs.length > 0 ? refs.map((r) => r.ref) : [stored.id];
      for (const target of targets) {
        const current = this.ctx.repo.byId(stored.id);
        if (!current) break;
        try {
          deleted.push(...await deleteImage(this.ctx, current, target, false, true, stats));
        } catch (err) {
          if (!(err instanceof ConflictError || err instanceof NotFoundError)) throw err;
        }
      }
    }
    this.ctx.events.publish('image', 'prune', '', { reclaimed: String(stats.freed) });
    return { deleted, spaceReclaimed: stats.freed };
  }

  setUsageChecker(checker: ImageUsageChecker): void {
    this.ctx.usage = checker;
  }

  async repair(): Promise<void> {
    for (const stored of this.ctx.repo.all()) {
      const chainOk = stored.chainId === null || this.ctx.layers.has(stored.chainId);
      if (!chainOk || !this.ctx.content.has(stored.id)) {
        this.ctx.repo.transaction(() => {
          for (const { ref } of this.ctx.repo.refsOf(stored.id)) this.ctx.repo.deleteRef(ref);
          this.ctx.repo.delete(stored.id);
        });
        // Give back this image's hold on the lower layers that survived.
        const held = this.ctx.layers.chainIds(stored.layers.map((l) => l.diffId)).filter((c) => this.ctx.layers.has(c));
        if (held.length) await this.ctx.layers.release(held);
        log.warn('image dropped at start-up: its config or layers are missing', { id: stored.id });
      }
    }
    const used = new Set<string>();
    for (const img of this.ctx.repo.all()) {
      used.add(img.id);
      if (img.manifestDigest) used.add(img.manifestDigest);
      for (const l of img.layers) used.add(l.digest);
    }
    for (const blob of await this.ctx.content.list()) if (!used.has(blob.digest)) await this.ctx.content.delete(blob.digest);
  }

  async recordPulled(input: PulledImageInput): Promise<{ image: Image; updated: boolean }> {
    const { image, updated } = await recordPulled(this.ctx, input);
    return { image: this.ctx.repo.toImage(image), updated };
  }

  recordPushed(imageId: string, pushed: { layers: ImageLayer[]; manifestBytes: Buffer; repository: ImageReference }): Promise<void> {
    return recordPushed(this.ctx, imageId, pushed);
  }

  findLayerBlob(diffId: string, preferCompressed = false): ImageLayer | undefined {
    return findLayerBlob(this.ctx, diffId, preferCompressed);
  }

  private findStored(ref: string): StoredImage | undefined {
    const repo = this.ctx.repo;
    if (/^sha256:[a-f0-9]{64}$/.test(ref)) return repo.byId(ref);
    if (/^[a-f0-9]{64}$/.test(ref)) return repo.byId(`sha256:${ref}`);
    const parsed = tryParse(ref);
    if (parsed) {
      const target = repo.refTarget(fullString(withDefaultTag(parsed)));
      if (target) return repo.byId(target);
      if (parsed.digest) {
        // name@<manifest digest> of an image that has a tag in that repository.
        const name = repositoryName(parsed);
        const byManifest = repo.all().find((i) => i.manifestDigest === parsed.digest
          && repo.refsOf(i.id).some((r) => r.ref.startsWith(`${name}:`) || r.ref.startsWith(`${name}@`)));
        if (byManifest) return byManifest;
      }
    }
    const prefix = ref.startsWith('sha256:') ? ref.slice(7) : ref;
    if (/^[a-f0-9]{1,63}$/.test(prefix)) {
      const matches = repo.all().filter((i) => i.id.slice(7).startsWith(prefix));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  private isIdRef(ref: string, image: Image): boolean {
    const r = ref.startsWith('sha256:') ? ref.slice(7) : ref;
    return /^[a-f0-9]+$/.test(r) && image.id.slice(7).startsWith(r);
  }
}

function tryParse(ref: string) {
  try { return parseReference(ref); } catch (err) { if (err instanceof InvalidArgumentError) return undefined; throw err; }
}

/**
 * Docker's "No such image" text (ErrImageDoesNotExist): a 64-hex ID shows as
 * sha256:<hex>, anything else as a reference with `latest` added (abc → abc:latest).
 * A string that is not a valid reference is Docker's 400 instead.
 */
function notFound(ref: string): NotFoundError {
  if (/^[a-f0-9]{64}$/.test(ref)) return new NotFoundError(`No such image: sha256:${ref}`);
  return new NotFoundError(`No such image: ${familiarString(withDefaultTag(parseReference(ref)))}`);
}
