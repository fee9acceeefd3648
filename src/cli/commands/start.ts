// berth start [-a] [-i]: start containers; with -a stream the output and return the exit code.
import type { CommandContext, CommandDef } from '../command';
import type { FlagValues } from '../flags';
import { CliError } from '../errors';
import { errorText } from './shared';

async function startAttached(ctx: CommandContext, flags: FlagValues, name: string): Promise<number> {
  const containers = ctx.client().containers;
  const info = await containers.inspect(name);
  const tty = info.Config.Tty === true;
  const stdin = flags.bool('interactive') && info.Config.OpenStdin === true;
  const { openAttach } = await import('../io/attach');
  const [session, waiter] = await Promise.all([
    openAttach(ctx, info.Id, { stdin, stdout: true, stderr: true, tty, detachKeys: flags.string('detach-keys') || undefined }),
    containers.waitRegistered(info.Id, info.HostConfig.AutoRemove ? 'removed' : 'next-exit'),
  ]);
  let stopProxy = tty ? () => {} : (await import('../io/signals')).proxySignals(ctx, info.Id);
  try {
    try {
      await containers.start(info.Id);
    } catch (err) {
      throw new CliError(errorText(err), 1);
    }
    if (tty && ctx.stdout.isTTY) stopProxy = (await import('../io/tty-size')).monitorTtySize(ctx, info.Id);
    const status = await Promise.race([waiter.result, session.detached.then(() => undefined)]);
    if (status === undefined) return 0; // detached
    await session.drain(2000);
    if (status.Error?.Message) throw new CliError(status.Error.Message, 125);
    return status.StatusCode;
  } finally {
    stopProxy();
    session.close();
  }
}

export const start: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start one or more stopped containers',
  args: { min: 1 },
  flags: [
    { name: 'attach', short: 'a', kind: 'bool', usage: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'detach-keys', kind: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'interactive', short: 'i', kind: 'bool', usage: "Attach container's STDIN" },
  ],
  async run(ctx, flags, args) {
    if (flags.bool('attach') || flags.bool('interactive')) {
      if (args.length > 1) throw new CliError('you cannot start and attach multiple containers at once', 1);
      return startAttached(ctx, flags, args[0]);
    }
    const failed: string[] = [];
    for (const name of args) {
      try {
        await ctx.client().containers.start(name);
        ctx.out(`${name}\n`);
      } catch (err) {
        if (err instanceof Error && err.name === 'ConnectionError') throw err;
        ctx.err(`${errorText(err)}\n`);
        failed.push(name);
      }
    }
    if (failed.length > 0) throw new CliError(`Error: failed to start containers: ${failed.join(', ')}`, 1);
    return 0;
  },
};
