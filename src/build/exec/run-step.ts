// RUN: the command runs as a real container through the container service (the
// stage's config, image and network), its output streams into the build, and
// its upper dir becomes the step's layer. The container is always removed.
import { BerthError, InvalidArgumentError } from '../../errors';
import type { ContainerService, LogRecord } from '../../container/types';
import type { RunCommand } from '../parser';
import { commitStep, stepKey, tryCache, type StepSpec } from './commit-step';
import { short, type RunContext } from './run-context';
import { runArgs, shellOf, type StageState } from './state';
import { tryCacheFrom } from './cache-from';
import { planRunMounts, type PreparedMounts } from './run-mounts';

/** The argv RUN executes (heredocs: a lone `<<EOF` runs its body as the script). */
export function runArgv(cmd: RunCommand, shell: string[]): string[] {
  if ('exec' in cmd.form) return cmd.form.exec;
  const script = cmd.form.shell;
  if (cmd.heredocs.length === 1 && /^<<-?\s*["']?[A-Za-z_][A-Za-z0-9_.-]*["']?$/.test(script.trim())) {
    return [...shell, cmd.heredocs[0].content];
  }
  if (cmd.heredocs.length > 0) {
    return [...shell, script + '\n' + cmd.heredocs.map((h) => `${h.content}${h.name}\n`).join('')];
  }
  return [...shell, script];
}

export class RunFailedError extends BerthError {
  constructor(message: string, readonly code: number) { super('internal', message); }
}

export async function runInstruction(rc: RunContext, state: StageState, cmd: RunCommand): Promise<void> {
  if (state.imageId === '') throw new InvalidArgumentError('Please provide a source image with `from` prior to run');
  const argv = runArgv(cmd, shellOf(state));
  const args = runArgs(state);
  for (const [k] of args) rc.usedArgs.add(k);
  // The legacy builder records build args in effect before the command: "|2 A=1 B=2 /bin/sh -c ...".
  const recorded = args.length ? [`|${args.length}`, ...args.map(([k, v]) => `${k}=${v}`), ...argv] : argv;
  const network = cmd.network ?? rc.request.networkMode ?? 'default';
  const mountPlan = await planRunMounts(rc, state, cmd.mounts);
  const spec = { cmd: recorded, config: state.config, inputs: [`network=${network}`, ...mountPlan.cacheInputs], mountTargets: mountPlan.targets };
  const key = stepKey(rc, state, spec);
  if (tryCache(rc, state, key) || await tryCacheFrom(rc, state, spec, key)) return;

  const mounts = await mountPlan.prepare();
  try {
    await runContainer(rc, state, { argv, args, network, spec, key, mounts });
  } finally {
    await mounts.release();
  }
  rc.emit(` ---> ${short(state.imageId)}\n`);
}

interface RunInput {
  argv: string[]; args: Array<[string, string]>; network: string; spec: StepSpec; key: string; mounts: PreparedMounts;
}

async function runContainer(rc: RunContext, state: StageState, { argv, args, network, spec, key, mounts }: RunInput): Promise<void> {
  const { containers } = rc.deps;
  const env = [...(state.config.Env ?? []), ...args.map(([k, v]) => `${k}=${v}`), ...(mounts.env ?? [])];
  const { container } = await containers.create({
    config: {
      Image: state.imageId, Cmd: argv, Entrypoint: [], Env: env, User: state.config.User ?? '',
      WorkingDir: state.config.WorkingDir ?? '', Labels: {}, AttachStdout: true, AttachStderr: true,
    },
    hostConfig: { NetworkMode: network === 'default' ? 'default' : network, Binds: null, Tmpfs: mounts.tmpfs, Mounts: mounts.mounts },
  });
  const id = container.id;
  rc.live.containers.add(id);
  try {
    rc.emit(` ---> Running in ${short(id)}\n`);
    const exit = await runToExit(containers, id, (text) => rc.emit(text), rc.signal);
    if (exit !== 0) {
      throw new RunFailedError(`The command '${argv.join(' ')}' returned a non-zero code: ${exit}`, exit);
    }
    await commitStep(rc, state, { ...spec, containerId: id }, key, true);
  } finally {
    await containers.remove(id, { force: true }).catch(() => undefined);
    rc.live.containers.delete(id);
    rc.emit(`Removing intermediate container ${short(id)}\n`);
  }
}

async function runToExit(containers: ContainerService, id: string, out: (text: string) => void, signal?: AbortSignal): Promise<number> {
  const waiting = containers.wait(id, 'next-exit');
  await containers.start(id);
  const onAbort = () => { containers.kill(id, 'SIGKILL').catch(() => undefined); };
  signal?.addEventListener('abort', onAbort);
  try {
    const logs = containers.logs(id, { stdout: true, stderr: true, follow: true }, signal);
    for await (const rec of logs) out((rec as LogRecord).data.toString('utf8'));
    const result = await waiting;
    if (signal?.aborted) throw new InvalidArgumentError('build canceled');
    return result.StatusCode;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
