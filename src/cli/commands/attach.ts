// berth attach: connect the terminal to a running container's stdio until it exits
// (exit code = the container's) or the user types the detach keys.
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { errorText } from './shared';

export const attach: CommandDef = {
  usage: '[OPTIONS] CONTAINER',
  short: 'Attach local standard input, output, and error streams to a running container',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'detach-keys', kind: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'no-stdin', kind: 'bool', usage: 'Do not attach STDIN' },
    { name: 'sig-proxy', kind: 'bool', default: true, usage: 'Proxy all received signals to the process' },
  ],
  async run(ctx, flags, args) {
    const containers = ctx.client().containers;
    let info;
    try {
      info = await containers.inspect(args[0]);
    } catch (err) {
      throw new CliError(errorText(err), 1);
    }
    if (!info.State.Running) throw new CliError('You cannot attach to a stopped container, start it first', 1);
    if (info.State.Paused) throw new CliError('You cannot attach to a paused container, unpause it first', 1);
    if (info.State.Restarting) throw new CliError('You cannot attach to a restarting container, wait until it is running', 1);
    const tty = info.Config.Tty === true;
    const stdin = !flags.bool('no-stdin') && info.Config.OpenStdin === true;
    if (stdin && tty && !ctx.stdin.isTTY) throw new CliError('the input device is not a TTY', 1);
    const { openAttach } = await import('../io/attach');
    const [session, waiter] = await Promise.all([
      openAttach(ctx, info.Id, { stdin, stdout: true, stderr: true, tty, detachKeys: flags.string('detach-keys') || undefined }),
      containers.waitRegistered(info.Id, 'next-exit'),
    ]).catch((err: unknown) => { throw new CliError(errorText(err), 1); });
    let stop = () => {};
    if (tty && ctx.stdout.isTTY) stop = (await import('../io/tty-size')).monitorTtySize(ctx, info.Id);
    else if (flags.bool('sig-proxy') && !tty) stop = (await import('../io/signals')).proxySignals(ctx, info.Id);
    try {
      const outcome = await Promise.race([waiter.result.then((r) => r), session.output.then(() => 'ended' as const), session.detached.then(() => 'detached' as const)]);
      if (outcome === 'detached') return 0;
      const status = outcome === 'ended' ? await waiter.result : outcome;
      await session.drain(2000);
      return status.StatusCode;
    } finally {
      stop();
      session.close();
    }
  },
};
