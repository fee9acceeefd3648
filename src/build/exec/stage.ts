// Builds one stage: FROM (an image, another stage's result, or scratch), the
// base image's ONBUILD triggers, then each instruction in order.
import { InvalidArgumentError } from '../../errors';
import { hostPlatform } from '../../image';
import { DockerfileSyntaxError, expandWord, parseDockerfile, toCommand, type ArgCommand, type Command } from '../parser';
import type { Stage } from '../plan';
import { nopCmd } from '../history';
import { copyInstruction } from './copy-step';
import { metaInstruction, type MetaFlags } from './meta-steps';
import { runStep } from './commit-step';
import { runInstruction } from './run-step';
import { short, type RunContext, type StageOutput } from './run-context';
import { resolveImage } from './resolve-image';
import { DEFAULT_PATH, envValue, shellOf, stageLookup, type Platform, type StageState } from './state';

export interface StepCounter { next(): number; total: number }

export async function buildStage(rc: RunContext, stage: Stage, meta: Map<string, string | undefined>, steps: StepCounter, extra: Command[]): Promise<StageOutput> {
  rc.emit(`Step ${steps.next()}/${steps.total} : ${stage.from.raw.original}\n`);
  const state = await startStage(rc, stage, meta);
  if (state.imageId) rc.emit(` ---> ${short(state.imageId)}\n`);
  const flags: MetaFlags = { cmdSet: false };
  const triggers = state.config.OnBuild ?? [];
  if (triggers.length) {
    rc.emit(`# Executing ${triggers.length} build ${triggers.length === 1 ? 'trigger' : 'triggers'}\n`);
    state.config = { ...state.config, OnBuild: null };
    for (const t of triggers) {
      const parsed = parseDockerfile(t, `${rc.file} (ONBUILD)`).instructions;
      for (const raw of parsed) await dispatch(rc, state, toCommand(raw, rc.file, rc.escape), meta, flags);
    }
  } else if (state.config.OnBuild) {
    state.config = { ...state.config, OnBuild: null };
  }
  for (const cmd of [...stage.commands, ...extra]) {
    if (rc.signal?.aborted) throw new InvalidArgumentError('build canceled');
    rc.emit(`Step ${steps.next()}/${steps.total} : ${cmd.raw.original}\n`);
    try {
      await dispatch(rc, state, cmd, meta, flags);
    } catch (err) {
      // Expansion errors name the line, as parse errors do.
      if (err instanceof InvalidArgumentError && !(err instanceof DockerfileSyntaxError) && isExpansionError(err)) {
        throw new DockerfileSyntaxError(rc.file, cmd.raw.line, err.message);
      }
      throw err;
    }
  }
  if (state.imageId === '') {
    // FROM scratch with only metadata steps still yields an image.
    throw new InvalidArgumentError('No image was generated. Is your Dockerfile empty?');
  }
  return { imageId: state.imageId, chainId: state.chainId };
}

function isExpansionError(err: Error): boolean {
  return /substitution|missing '}'|matching (single|double)-quote|parameter (null or )?not set|: /.test(err.message) && !/^(COPY|The command)/.test(err.message);
}

async function startStage(rc: RunContext, stage: Stage, meta: Map<string, string | undefined>): Promise<StageState> {
  const metaLookup = (n: string) => meta.get(n);
  const wanted = stage.from.platform ? parsePlatform(expandWord(stage.from.platform, metaLookup, { escape: rc.escape }))
    : rc.request.platform ? parsePlatform(rc.request.platform) : undefined;
  const base: StageState = { stage: stage.index, imageId: '', chainId: null, config: {}, platform: wanted ?? hostPlatform(), args: new Map() };
  if ('stage' in stage.base) {
    const out = await rc.stageOutput(stage.base.stage);
    const img = rc.deps.images.get(out.imageId);
    return { ...base, imageId: img.id, chainId: img.chainId, config: structuredClone(img.config.config ?? {}), platform: platformOf(img.config) };
  }
  const ref = stage.base.image;
  if (ref.toLowerCase() === 'scratch') {
    base.config = { Env: [DEFAULT_PATH] };
    return base;
  }
  const img = await resolveImage(rc, ref, wanted);
  const actual = platformOf(img.config);
  if (wanted && (wanted.os !== actual.os || wanted.architecture !== actual.architecture)) {
    throw new InvalidArgumentError(`image with reference ${ref} was found but does not match the specified platform: wanted ${fmt(wanted)}, actual: ${fmt(actual)}`);
  }
  const config = structuredClone(img.config.config ?? {});
  if (envValue(config.Env, 'PATH') === undefined) config.Env = [...(config.Env ?? []), DEFAULT_PATH];
  return { ...base, imageId: img.id, chainId: img.chainId, config, platform: actual };
}

async function dispatch(rc: RunContext, state: StageState, cmd: Command, meta: Map<string, string | undefined>, flags: MetaFlags): Promise<void> {
  switch (cmd.kind) {
    case 'RUN': return runInstruction(rc, state, cmd);
    case 'COPY': case 'ADD': return copyInstruction(rc, state, cmd);
    case 'ARG': return argInstruction(rc, state, cmd, meta);
    case 'FROM': throw new InvalidArgumentError('FROM inside a stage');
    default: return metaInstruction(rc, state, cmd, flags);
  }
}

async function argInstruction(rc: RunContext, state: StageState, cmd: ArgCommand, meta: Map<string, string | undefined>): Promise<void> {
  const lookup = stageLookup(state);
  const parts: string[] = [];
  for (const a of cmd.args) {
    const given = rc.request.buildArgs[a.name];
    let value: string | undefined;
    if (given !== undefined && given !== null) value = given;
    else if (a.value !== undefined) value = expandWord(a.value, lookup, { escape: rc.escape });
    else value = meta.get(a.name);
    state.args.set(a.name, value);
    rc.usedArgs.add(a.name);
    parts.push(a.value !== undefined ? `${a.name}=${a.value}` : a.name);
  }
  await runStep(rc, state, { cmd: nopCmd(shellOf(state), `ARG ${parts.join(' ')}`), config: state.config, inputs: [...state.args].map(([k, v]) => `${k}=${v ?? ''}`) });
}

/** Meta ARGs (before the first FROM): build args override their defaults. */
export function metaArgs(rc: RunContext, cmds: ArgCommand[]): Map<string, string | undefined> {
  const meta = new Map<string, string | undefined>();
  const host = hostPlatform();
  const target = rc.request.platform ? parsePlatform(rc.request.platform) : host;
  // BuildKit's automatic platform args, handy in FROM --platform=$BUILDPLATFORM.
  meta.set('BUILDPLATFORM', fmt(host)); meta.set('BUILDOS', host.os); meta.set('BUILDARCH', host.architecture);
  meta.set('TARGETPLATFORM', fmt(target)); meta.set('TARGETOS', target.os); meta.set('TARGETARCH', target.architecture);
  for (const c of cmds) {
    for (const a of c.args) {
      const given = rc.request.buildArgs[a.name];
      const value = given !== undefined && given !== null ? given
        : a.value !== undefined ? expandWord(a.value, (n) => meta.get(n), { escape: rc.escape }) : undefined;
      meta.set(a.name, value);
      rc.usedArgs.add(a.name);
    }
  }
  return meta;
}

function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.toLowerCase().split('/');
  if (!os || !architecture) throw new InvalidArgumentError(`"${text}": unknown operating system or architecture: invalid argument`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

function platformOf(config: { os: string; architecture: string; variant?: string }): Platform {
  return config.variant ? { os: config.os, architecture: config.architecture, variant: config.variant } : { os: config.os, architecture: config.architecture };
}

function fmt(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}
