// RUN --mount: bind (the context or another stage/image, read-only unless rw),
// cache (a directory under <data-root>/build/cache-mounts that outlives builds),
// secret (a file sent with the build, at /run/secrets/<id>) and tmpfs. Planning
// gives the step's cache-key inputs (never a secret's or a cache's content);
// prepare() makes the host directories, release() undoes it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, NotFoundError, NotImplementedError } from '../../errors';
import { expandWord } from '../parser';
import { stageIndexOf } from '../plan';
import { scopedPath } from '../fs/scoped-path';
import { validSecretId } from '../context/secrets';
import { acquireCacheDir } from './cache-mounts';
import { newId, removeScratch, type RunContext } from './run-context';
import { resolveImage } from './resolve-image';
import { stageLookup, type StageState } from './state';

/** Docker's HostConfig.Mounts entry, as the container service takes it. */
export interface HostMount { Type: 'bind'; Source: string; Target: string; ReadOnly: boolean }

export interface PreparedMounts {
  mounts: HostMount[];
  tmpfs: Record<string, string>;
  /** Environment the mounts add to the RUN command (SSH_AUTH_SOCK for ssh mounts). */
  env?: string[];
  release(): Promise<void>;
}

export interface MountPlan {
  /** What the mounts add to the step's cache key. */
  cacheInputs: string[];
  /** Container paths the mounts cover (runc may create them; they stay out of the layer). */
  targets: string[];
  prepare(): Promise<PreparedMounts>;
}

type Prepare = (p: PreparedMounts, cleanups: Array<() => Promise<void> | void>) => Promise<void>;

export async function planRunMounts(rc: RunContext, state: StageState, specs: string[]): Promise<MountPlan> {
  const cacheInputs: string[] = [];
  const targets: string[] = [];
  const steps: Prepare[] = [];
  const lookup = stageLookup(state);
  let sshCount = 0;
  for (const spec of specs) {
    const fields = parseFields(spec, (v) => expandWord(v, lookup, { escape: rc.escape }));
    const type = fields.get('type') ?? 'bind';
    const rawTarget = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    let target = rawTarget === undefined ? undefined : absTarget(rawTarget, state.config.WorkingDir);
    if (type === 'secret') {
      const id = fields.get('id') ?? (target ? path.posix.basename(target) : undefined);
      if (!id || !validSecretId(id)) throw new InvalidArgumentError(`invalid secret mount: an id is required: --mount=${spec}`);
      target ??= `/run/secrets/${id}`;
      steps.push(secretStep(rc, id, target, fields));
      cacheInputs.push(`secret:${id}:${target}`);
      targets.push(target);
      continue;
    }
    if (type === 'ssh') {
      const id = fields.get('id') || 'default';
      target ??= `/run/buildkit/ssh_agent.${sshCount}`;
      steps.push(sshStep(rc, id, target, fields, sshCount === 0));
      sshCount++;
      cacheInputs.push(`ssh:${id}:${target}`);
      targets.push(target);
      continue;
    }
    if (!target) throw new InvalidArgumentError(`mount target is required: --mount=${spec}`);
    targets.push(target);
    if (type === 'tmpfs') {
      const size = fields.get('size');
      steps.push(async (p) => { p.tmpfs[target!] = size ? `size=${size}` : ''; });
      cacheInputs.push(`tmpfs:${target}:${size ?? ''}`);
    } else if (type === 'bind') {
      const input = await bindStep(rc, state, target, fields, steps);
      cacheInputs.push(input);
    } else if (type === 'cache') {
      const id = fields.get('id') || target;
      const sharing = fields.get('sharing') ?? 'shared';
      if (!['shared', 'private', 'locked'].includes(sharing)) throw new InvalidArgumentError(`unrecognized sharing for cache mount: ${sharing}`);
      if (fields.has('from')) throw new NotImplementedError('RUN --mount=type=cache,from= is not supported by this builder yet');
      const readOnly = isTrue(fields, 'readonly', 'ro');
      const mode = parseInt(fields.get('mode') ?? '755', 8);
      const uid = Number(fields.get('uid') ?? 0);
      const gid = Number(fields.get('gid') ?? 0);
      if (Number.isNaN(mode) || !Number.isInteger(uid) || !Number.isInteger(gid)) throw new InvalidArgumentError(`invalid cache mount options: --mount=${spec}`);
      steps.push(async (p, cleanups) => {
        const held = await acquireCacheDir(path.join(rc.deps.root, 'cache-mounts'), id, sharing as 'shared' | 'private' | 'locked', { mode, uid, gid }, rc.signal);
        cleanups.push(() => held.release());
        p.mounts.push({ Type: 'bind', Source: held.dir, Target: target!, ReadOnly: readOnly });
      });
      cacheInputs.push(`cache:${target}:${id}:${readOnly}`);
    } else {
      throw new InvalidArgumentError(`unsupported mount type "${type}"`);
    }
  }
  return {
    cacheInputs, targets,
    async prepare() {
      const cleanups: Array<() => Promise<void> | void> = [];
      const prepared: PreparedMounts = {
        mounts: [], tmpfs: {},
        async release() { for (const c of cleanups.reverse()) await c(); },
      };
      try {
        for (const step of steps) await step(prepared, cleanups);
      } catch (err) {
        await prepared.release().catch(() => undefined);
        throw err;
      }
      return prepared;
    },
  };
}

/** type=bind: from the context (checksummed for the key) or from a stage/image root (its ID is the key). */
async function bindStep(rc: RunContext, state: StageState, target: string, fields: Map<string, string>, steps: Prepare[]): Promise<string> {
  const source = fields.get('source') ?? fields.get('src') ?? '/';
  const rw = isTrue(fields, 'rw', 'readwrite');
  const from = fields.get('from');
  if (from === undefined) {
    const host = scopedPath(rc.context.dir, source).host;
    if (!fs.existsSync(host)) throw new NotFoundError(`failed to compute cache key: "${path.posix.join('/', source)}" not found`);
    const sum = await rc.checksums.of(host);
    steps.push(async (p) => {
      let src = host;
      if (rw) {
        // Writes to an rw bind are thrown away: they go to a copy.
        src = path.join(path.dirname(rc.context.dir), 'mounts', newId().slice(0, 24));
        fs.mkdirSync(path.dirname(src), { recursive: true, mode: 0o700 });
        fs.cpSync(host, src, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      }
      p.mounts.push({ Type: 'bind', Source: src, Target: target, ReadOnly: !rw });
    });
    return `bind:${target}:context:${source}:${sum}:${rw}`;
  }
  const stage = stageIndexOf(rc.plan, from, state.stage);
  let image: { imageId: string; chainId: string | null };
  if (stage !== undefined) image = await rc.stageOutput(stage);
  else {
    const img = await resolveImage(rc, from);
    image = { imageId: img.id, chainId: img.chainId };
  }
  steps.push(async (p, cleanups) => {
    // A scratch overlay of the image: rw writes land in its throwaway upper dir.
    const id = newId();
    rc.live.rootfs.add(id);
    cleanups.push(async () => { await removeScratch(rc.deps, id); rc.live.rootfs.delete(id); });
    await rc.deps.rootfs.create(id, image.chainId);
    const root = await rc.deps.rootfs.acquire(id);
    const host = scopedPath(root, source).host;
    if (!fs.existsSync(host)) throw new NotFoundError(`failed to compute cache key: "${path.posix.join('/', source)}" not found`);
    p.mounts.push({ Type: 'bind', Source: host, Target: target, ReadOnly: !rw });
  });
  return `bind:${target}:image:${image.imageId}:${source}:${rw}`;
}

/** type=secret: a per-mount copy with the asked mode and owner, bound read-only; a missing optional secret mounts nothing. */
function secretStep(rc: RunContext, id: string, target: string, fields: Map<string, string>): Prepare {
  const required = isTrue(fields, 'required');
  const mode = parseInt(fields.get('mode') ?? '400', 8);
  const uid = Number(fields.get('uid') ?? 0);
  const gid = Number(fields.get('gid') ?? 0);
  if (Number.isNaN(mode) || !Number.isInteger(uid) || !Number.isInteger(gid)) throw new InvalidArgumentError(`invalid secret mount options for ${id}`);
  return async (p, cleanups) => {
    const scratch = path.dirname(rc.context.dir);
    const stored = path.join(scratch, 'secrets', id);
    if (!fs.existsSync(stored)) {
      if (required) throw new InvalidArgumentError(`secret ${id}: not found`);
      return;
    }
    const copy = path.join(scratch, 'secrets', `.${id}.${newId().slice(0, 12)}`);
    fs.copyFileSync(stored, copy);
    fs.chownSync(copy, uid, gid);
    fs.chmodSync(copy, mode);
    cleanups.push(() => fs.rmSync(copy, { force: true }));
    p.mounts.push({ Type: 'bind', Source: copy, Target: target, ReadOnly: true });
  };
}

/**
 * type=ssh: the agent socket the client forwarded under `id` (berth build --ssh,
 * same host as the daemon) is bound at the target; the first ssh mount sets
 * SSH_AUTH_SOCK, as BuildKit does. A missing optional one mounts nothing.
 */
function sshStep(rc: RunContext, id: string, target: string, fields: Map<string, string>, first: boolean): Prepare {
  const required = isTrue(fields, 'required');
  // The socket is the client's own: its mode and owner cannot be changed for one RUN.
  for (const key of ['mode', 'uid', 'gid']) {
    if (fields.has(key)) throw new NotImplementedError(`RUN --mount=type=ssh,${key}= is not supported by this builder`);
  }
  return async (p) => {
    const socket = rc.request.sshSockets?.[id];
    if (socket === undefined) {
      if (required) throw new InvalidArgumentError(`no SSH key "${id}" forwarded from the client: use --ssh ${id}[=SOCKET]`);
      return;
    }
    if (!fs.statSync(socket, { throwIfNoEntry: false })?.isSocket()) throw new InvalidArgumentError(`ssh agent socket for "${id}" (${socket}) is not a socket`);
    p.mounts.push({ Type: 'bind', Source: socket, Target: target, ReadOnly: false });
    if (first) (p.env ??= []).push(`SSH_AUTH_SOCK=${target}`);
  };
}

function parseFields(spec: string, expand: (v: string) => string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    fields.set(key, eq < 0 ? 'true' : expand(part.slice(eq + 1)));
  }
  return fields;
}

function isTrue(fields: Map<string, string>, ...names: string[]): boolean {
  return names.some((n) => fields.has(n) && fields.get(n) !== 'false');
}

function absTarget(target: string, workdir: string | undefined): string {
  return path.posix.normalize(target.startsWith('/') ? target : `${workdir || '/'}/${target}`);
}
