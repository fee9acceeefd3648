// The builder: receives the context, parses the Dockerfile, plans the stages the
// target needs and builds them (independent stages in parallel), then tags the
// result. Whatever happens, the build's containers, scratch mounts and context
// directory are gone when build() settles; a failed build tags nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import { familiarString, parseReference, withDefaultTag } from '../image/reference';
import { parseTagTarget } from '../image/tagging';
import type { Image } from '../image/types';
import { log } from '../util/logger';
import { receiveContext, type BuildContext } from './context/receive';
import { WARM_CONTEXT_DIR, WarmContext } from './context/warm';
import { removeLater, TRASH_PREFIX } from './fs/remove-later';
import { openRemoteContext } from './context/remote';
import { Checksums } from './context/sources';
import { parseDockerfile, toCommands, toCommand, type ArgCommand, type Command } from './parser';
import { planBuild } from './plan';
import { OrderedOutput } from './exec/ordered-output';
import { pruneCacheDirs, removePrivateCacheDirs } from './exec/cache-mounts';
import { buildStage, metaArgs, type StepCounter } from './exec/stage';
import { newId, removeScratch, short, type BuilderDeps, type RunContext, type StageOutput } from './exec/run-context';
import type { BuildCachePruneResult, BuildMessage, BuildRequest, BuildResult, BuildService } from './types';

export class Builder implements BuildService {
  private readonly warm: WarmContext;

  constructor(private readonly deps: BuilderDeps) {
    this.warm = new WarmContext(deps.root);
  }

  async build(request: BuildRequest, emitMessage: (m: BuildMessage) => void, signal?: AbortSignal): Promise<BuildResult> {
    const tags = request.tags.map((t) => { parseTagTarget(t); return t; }); // refuse bad tags before any work
    const send = (m: BuildMessage) => { if (!request.quiet) emitMessage(m); };
    const emit = (text: string) => send({ stream: text });
    const dir = path.join(this.deps.root, `ctx-${newId().slice(0, 24)}`);
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort);
    const live = { containers: new Set<string>(), rootfs: new Set<string>() };
    let flushOutput = () => undefined as void;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const previous = this.warm.claim(path.join(dir, 'previous'));
    let finished: BuildContext | undefined;
    try {
      const remote = request.remote ? await openRemoteContext(request.remote, request.dockerfile, path.join(dir, 'remote'), abort.signal) : undefined;
      const context = await receiveContext(remote?.tar ?? request.context, path.join(dir, 'context'), remote?.dockerfile ?? request.dockerfile ?? '',
        { ids: request.secrets ?? [], dir: path.join(dir, 'secrets') }, previous?.reuse);
      previous?.release();
      const df = parseDockerfile(context.dockerfileText, context.dockerfileName);
      const commands = toCommands(df);
      const stagesStart = commands.findIndex((c) => c.kind === 'FROM');
      const metaCmds = commands.slice(0, stagesStart < 0 ? commands.length : stagesStart).filter((c): c is ArgCommand => c.kind === 'ARG');
      const stageOutputs = new Map<number, Promise<StageOutput>>();
      const rc: RunContext = {
        deps: this.deps, request, context, plan: undefined as never, escape: df.escape, file: context.dockerfileName,
        checksums: new Checksums(context.fileDigests), signal: abort.signal, emit, progress: send, pulls: new Map(), usedArgs: new Set(), live,
        sourceDateEpoch: sourceDateEpoch(request.buildArgs.SOURCE_DATE_EPOCH),
        cacheFrom: (request.cacheFrom ?? []).map((ref) => this.deps.images.find(ref)).filter((i): i is Image => i !== undefined),
        stageOutput: (i) => {
          const p = stageOutputs.get(i);
          if (!p) throw new InvalidArgumentError(`stage ${i} is not part of this build`);
          return p;
        },
      };
      const meta = metaArgs(rc, metaCmds);
      const plan = planBuild(df, commands, request.target, (n) => meta.get(n));
      rc.plan = plan;
      const extra = labelCommand(request.labels, context.dockerfileName);
      const sizes = plan.needed.map((i) => 1 + plan.stages[i].commands.length + (i === plan.target ? extra.length : 0));
      const total = sizes.reduce((a, b) => a + b, 0);
      let offset = 0;
      const output = new OrderedOutput<BuildMessage>(plan.needed, send);
      flushOutput = () => output.flushAll();
      for (const [n, i] of plan.needed.entries()) {
        let step = offset;
        const counter: StepCounter = { next: () => ++step, total };
        offset += sizes[n];
        const stage = plan.stages[i];
        // Each stage waits only for the stages it reads; the others run alongside.
        const out = output.emitter(i);
        const stageRc: RunContext = { ...rc, emit: (text) => out({ stream: text }), progress: out };
        const run = Promise.resolve().then(() => buildStage(stageRc, stage, meta, counter, i === plan.target ? extra : []));
        run.then(() => output.finish(i), () => abort.abort());
        stageOutputs.set(i, run);
      }
      const settled = await Promise.allSettled([...stageOutputs.values()]);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        flushOutput();
        throw firstRealError(settled, failed.reason);
      }
      const result = await stageOutputs.get(plan.target)!;
      const unused = Object.keys(request.buildArgs).filter((k) => !rc.usedArgs.has(k) && !PREDEFINED.has(k)).sort();
      if (unused.length) emit(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
      emitMessage({ aux: { ID: result.imageId } });
      emit(`Successfully built ${short(result.imageId)}\n`);
      for (const t of tags) {
        const target = parseTagTarget(t);
        await this.deps.images.tag(result.imageId, familiarString(target));
        emit(`Successfully tagged ${familiarString(withDefaultTag(parseReference(t)))}\n`);
      }
      if (request.quiet) emitMessage({ stream: `${result.imageId}\n` });
      finished = context;
      return { imageId: result.imageId };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.cleanup(live);
      previous?.release();
      // A successful build's context stays for the next build to reuse files from.
      if (finished) this.warm.park(finished.dir, finished.fileDigests);
      removeLater(dir);
    }
  }

  private async cleanup(live: { containers: Set<string>; rootfs: Set<string> }): Promise<void> {
    for (const id of live.containers) await this.deps.containers.remove(id, { force: true }).catch((err) => log.warn('build cleanup: container', { id, error: String(err) }));
    for (const id of live.rootfs) {
      await removeScratch(this.deps, id).catch((err) => log.warn('build cleanup: rootfs', { id, error: String(err) }));
    }
  }

  async prune(): Promise<BuildCachePruneResult> {
    const entries = this.deps.cache.entries();
    this.deps.cache.delete(entries.map((e) => e.key));
    const deleted: string[] = [];
    let reclaimed = 0;
    // Leaves first: an intermediate image goes once nothing is built on it.
    for (let changed = true; changed;) {
      changed = false;
      const all = this.deps.images.list({ all: true });
      const parents = new Set(all.map((i) => i.parentId).filter(Boolean));
      const cached = new Set(entries.map((e) => e.imageId));
      for (const img of all) {
        if (!cached.has(img.id) || img.repoTags.length > 0 || parents.has(img.id)) continue;
        if (this.deps.containers.usingImage(img.id).length > 0) continue;
        const own = ownSize(img, all);
        try {
          await this.deps.images.remove(img.id, { noprune: true });
          deleted.push(img.id);
          reclaimed += own;
          changed = true;
        } catch { /* in use or gone meanwhile */ }
      }
    }
    this.warm.discard();
    reclaimed += pruneCacheDirs(path.join(this.deps.root, 'cache-mounts'));
    return { CachesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
  }

  async repair(): Promise<void> {
    fs.mkdirSync(this.deps.root, { recursive: true, mode: 0o700 });
    for (const name of fs.readdirSync(this.deps.root)) {
      if (name.startsWith('ctx-') || name.startsWith(TRASH_PREFIX) || name === WARM_CONTEXT_DIR || name === 'downloads') fs.rmSync(path.join(this.deps.root, name), { recursive: true, force: true });
    }
    removePrivateCacheDirs(path.join(this.deps.root, 'cache-mounts'));
  }
}

/** SOURCE_DATE_EPOCH as BuildKit takes it: a build arg holding Unix seconds. */
function sourceDateEpoch(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`invalid SOURCE_DATE_EPOCH: ${value}`);
  return Number(value);
}

const PREDEFINED = new Set(['SOURCE_DATE_EPOCH', 'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

function ownSize(img: Image, all: Image[]): number {
  const parent = all.find((p) => p.id === img.parentId);
  return Math.max(0, img.size - (parent?.size ?? 0));
}

/** --label values become one LABEL step at the end of the target stage (as the legacy builder does). */
function labelCommand(labels: Record<string, string>, file: string): Command[] {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return [];
  const text = `LABEL ${keys.map((k) => `${JSON.stringify(k)}=${JSON.stringify(labels[k])}`).join(' ')}`;
  return [toCommand(parseDockerfile(text, file).instructions[0], file)];
}

/** A stage failing because another one was aborted is not the error to report. */
function firstRealError(settled: PromiseSettledResult<unknown>[], fallback: unknown): unknown {
  for (const s of settled) {
    if (s.status === 'rejected' && !(s.reason instanceof Error && s.reason.message === 'build canceled')) return s.reason;
  }
  return fallback;
}
