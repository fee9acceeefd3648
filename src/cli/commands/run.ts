// berth run: create, attach, wait, start — and exit with the container's status.
import type { CommandContext, CommandDef } from '../command';
import type { FlagValues } from '../flags';
import { CONTAINER_FLAGS, RUN_ONLY_FLAGS, buildCreatePlan, createContainer, sortFlags, type CreatePlan } from '../container-opts';
import { toStatusError, withHelp } from '../io/run-errors';
import { CliError } from '../errors';

/** After the exit status is known, output still arriving is drained until it idles this long. */
const OUTPUT_IDLE_MS = 2000;

function plan(flags: FlagValues, args: string[]): CreatePlan {
  try {
    return buildCreatePlan(flags, args, 'run');
  } catch (err) {
    throw withHelp(err, 'run');
  }
}

async function runContainer(ctx: CommandContext, flags: FlagValues, args: string[]): Promise<number> {
  const p = plan(flags, args);
  const { attach } = p;
  const tty = p.body.Tty === true;
  if (attach.stdin && tty && !ctx.stdin.isTTY) throw new CliError('the input device is not a TTY', 1);

  let id: string;
  try {
    id = await createContainer(ctx, p);
  } catch (err) {
    throw toStatusError(err, 'run');
  }
  const containers = ctx.client().containers;
  if (!attach.stdin && !attach.stdout && !attach.stderr) {
    ctx.out(`${id}\n`);
    try {
      await containers.start(id);
    } catch (err) {
      throw toStatusError(err, 'run');
    }
    return 0;
  }

  const autoRemove = p.body.HostConfig?.AutoRemove === true;
  const { openAttach } = await import('../io/attach');
  // Attach and register the wait before starting, so neither output nor exit is missed.
  const [session, waiter] = await Promise.all([
    openAttach(ctx, id, { ...attach, tty, detachKeys: flags.string('detach-keys') || undefined }),
    containers.waitRegistered(id, autoRemove ? 'removed' : 'next-exit'),
  ]).catch((err: unknown) => { throw toStatusError(err, 'run'); });

  let stopProxy = () => {};
  if (flags.bool('sig-proxy') && !tty) stopProxy = (await import('../io/signals')).proxySignals(ctx, id);
  try {
    try {
      await containers.start(id);
    } catch (err) {
      session.close();
      if (autoRemove) await waiter.result.catch(() => undefined);
      throw toStatusError(err, 'run');
    }
    if (tty && ctx.stdout.isTTY) stopProxy = chain(stopProxy, (await import('../io/tty-size')).monitorTtySize(ctx, id));
    let status;
    try {
      const outcome = await Promise.race([waiter.result, session.detached.then(() => undefined)]);
      if (outcome === undefined) return 0; // detached: the container keeps running
      status = outcome;
    } catch (err) {
      ctx.err(`Error waiting for container: ${(err as Error).message}\n`);
      return 125;
    }
    await session.drain(OUTPUT_IDLE_MS);
    if (status.Error?.Message) {
      ctx.err(`Error waiting for container: ${status.Error.Message}\n`);
      return 125;
    }
    return status.StatusCode;
  } finally {
    stopProxy();
    session.close();
  }
}

function chain(a: () => void, b: () => void): () => void {
  return () => { a(); b(); };
}

export const run: CommandDef = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create and run a new container from an image',
  flags: sortFlags([...CONTAINER_FLAGS, ...RUN_ONLY_FLAGS]),
  interspersed: false,
  args: { min: 1 },
  async run(ctx, flags, args) {
    try {
      return await runContainer(ctx, flags, args);
    } catch (err) {
      throw err instanceof CliError ? err : toStatusError(err, 'run');
    }
  },
};
