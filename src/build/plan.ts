// The stage graph: stages split at FROM, names and indexes resolved, edges from
// `FROM <stage>` and `COPY --from=<stage>`; only the stages the target needs are
// built, and stages that do not depend on each other may run in parallel.
import { InvalidArgumentError } from '../errors';
import { expandWord, type ArgCommand, type Command, type FromCommand, type Lookup, type ParsedDockerfile } from './parser';
import { DockerfileSyntaxError } from './parser';

export interface Stage {
  index: number;
  name?: string;
  from: FromCommand;
  /** Base: another stage's index, or an image reference (or "scratch"). */
  base: { stage: number } | { image: string };
  commands: Command[]; // after FROM
  deps: Set<number>;
}

export interface BuildPlan {
  metaArgs: ArgCommand[];
  stages: Stage[];
  target: number;
  /** Stages to build, in file order. */
  needed: number[];
}

export function planBuild(df: ParsedDockerfile, commands: Command[], target: string | undefined, metaLookup: Lookup): BuildPlan {
  const metaArgs: ArgCommand[] = [];
  const stages: Stage[] = [];
  for (const cmd of commands) {
    if (cmd.kind === 'FROM') {
      stages.push({ index: stages.length, name: cmd.name, from: cmd, base: { image: '' }, commands: [], deps: new Set() });
    } else if (stages.length === 0) {
      if (cmd.kind !== 'ARG') throw new DockerfileSyntaxError(df.file, cmd.raw.line, 'no build stage in current context');
      metaArgs.push(cmd);
    } else {
      stages[stages.length - 1].commands.push(cmd);
    }
  }
  if (stages.length === 0) throw new InvalidArgumentError(`${df.file}: no build stage in current context`);
  const byName = new Map<string, number>();
  for (const s of stages) {
    if (s.name) {
      if (byName.has(s.name)) throw new DockerfileSyntaxError(df.file, s.from.raw.line, `duplicate name ${s.name}`);
      byName.set(s.name, s.index);
    }
  }
  const stageRef = (ref: string, before: number): number | undefined => {
    const named = byName.get(ref.toLowerCase());
    if (named !== undefined && named < before) return named;
    if (/^\d+$/.test(ref) && Number(ref) < before) return Number(ref);
    return undefined;
  };
  for (const s of stages) {
    const image = expandWord(s.from.image, metaLookup, { escape: df.escape });
    if (image === '') throw new DockerfileSyntaxError(df.file, s.from.raw.line, 'base name (' + s.from.image + ') should not be blank');
    const base = stageRef(image, s.index);
    s.base = base !== undefined ? { stage: base } : { image };
    if (base !== undefined) s.deps.add(base);
    for (const c of s.commands) {
      if ((c.kind === 'COPY' || c.kind === 'ADD') && c.from) {
        const from = expandWord(c.from, metaLookup, { escape: df.escape });
        const dep = stageRef(from, s.index);
        if (dep !== undefined) s.deps.add(dep);
        else if (/^\d+$/.test(from)) throw new DockerfileSyntaxError(df.file, c.raw.line, `invalid from flag value ${from}: refers to current build stage`);
      }
      if (c.kind === 'RUN') {
        for (const m of c.mounts) {
          const from = /(?:^|,)from=([^,]+)/.exec(m)?.[1];
          const dep = from !== undefined ? stageRef(expandWord(from, metaLookup, { escape: df.escape }), s.index) : undefined;
          if (dep !== undefined) s.deps.add(dep);
        }
      }
    }
  }
  let targetIndex = stages.length - 1;
  if (target) {
    const t = byName.get(target.toLowerCase());
    if (t === undefined) throw new InvalidArgumentError(`failed to reach build target ${target} in Dockerfile`);
    targetIndex = t;
  }
  const needed = new Set<number>();
  const visit = (i: number) => {
    if (needed.has(i)) return;
    needed.add(i);
    for (const d of stages[i].deps) visit(d);
  };
  visit(targetIndex);
  return { metaArgs, stages, target: targetIndex, needed: [...needed].sort((a, b) => a - b) };
}

/** Stage reference of a `COPY --from` value, when it names a stage (else an image). */
export function stageIndexOf(plan: BuildPlan, ref: string, before: number): number | undefined {
  for (const s of plan.stages) if (s.index < before && s.name === ref.toLowerCase()) return s.index;
  if (/^\d+$/.test(ref) && Number(ref) < before) return Number(ref);
  return undefined;
}
