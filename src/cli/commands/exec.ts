// berth exec: run a command in a running container; the CLI exits with its exit code.
import type { CommandContext, CommandDef } from '../command';
import type { FlagValues } from '../flags';
import { CliError } from '../errors';
import { errorText } from './shared';
import { readKeyValueFile } from '../container-opts/values';

function consoleSize(ctx: CommandContext, tty: boolean): [number, number] | undefined {
  return tty && ctx.stdout.isTTY && ctx.stdout.rows ? [ctx.stdout.rows, ctx.stdout.columns] : undefined;
}

async function execAttached(ctx: CommandContext, flags: FlagValues, execId: string, tty: boolean, stdin: boolean): Promise<number> {
  const containers = ctx.client().containers;
  const { attachStreams, detachKeys } = await import('../io/attach');
  const streams = { stdin, stdout: true, stderr: true, tty, detachKeys: flags.string('detach-keys') || undefined };
  const keys = detachKeys(streams);
  const size = consoleSize(ctx, tty);
  const conn = await containers.execStartAttached(execId, tty, size);
  const session = await attachStreams(ctx, conn, streams, keys);
  const resize = () => {
    const { rows, columns } = ctx.stdout;
    if (rows && columns) containers.execResize(execId, rows, columns).catch(() => undefined);
  };
  if (size) {
    resize();
    ctx.stdout.on('resize', resize);
  }
  try {
    const outcome = await Promise.race([session.output.then(() => 'ended' as const), session.detached.then(() => 'detached' as const)]);
    if (outcome === 'detached') return 0;
  } catch {
    // the stream broke; the exit code below tells what happened
  } finally {
    ctx.stdout.off('resize', resize);
    session.close();
  }
  const info = await containers.execInspect(execId);
  return info.ExitCode ?? 0;
}

export const exec: CommandDef = {
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  args: { min: 2 },
  interspersed: false,
  usageExitCode: 1,
  flags: [
    { name: 'detach', short: 'd', kind: 'bool', usage: 'Detached mode: run command in the background' },
    { name: 'detach-keys', kind: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'env', short: 'e', kind: 'list', usage: 'Set environment variables' },
    { name: 'env-file', kind: 'list', usage: 'Read in a file of environment variables' },
    { name: 'interactive', short: 'i', kind: 'bool', usage: 'Keep STDIN open even if not attached' },
    { name: 'privileged', kind: 'bool', usage: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', kind: 'bool', usage: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', kind: 'string', usage: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { name: 'workdir', short: 'w', kind: 'string', usage: 'Working directory inside the container' },
  ],
  async run(ctx, flags, args) {
    const [container, ...cmd] = args;
    const detach = flags.bool('detach');
    const tty = flags.bool('tty');
    const stdin = flags.bool('interactive') && !detach;
    if (stdin && tty && !ctx.stdin.isTTY) throw new CliError('the input device is not a TTY', 1);
    const env = [...flags.list('env-file').flatMap((f) => readKeyValueFile(f, 'env')), ...flags.list('env')];
    const containers = ctx.client().containers;
    let execId: string;
    try {
      execId = await containers.execCreate(container, {
        Cmd: cmd, User: flags.string('user') || undefined, Privileged: flags.bool('privileged'), Tty: tty,
        AttachStdin: stdin, AttachStdout: !detach, AttachStderr: !detach, Env: env.length ? env : undefined,
        WorkingDir: flags.string('workdir') || undefined, DetachKeys: flags.string('detach-keys') || undefined,
        ConsoleSize: consoleSize(ctx, tty),
      });
      if (detach) {
        await containers.execStartDetached(execId);
        return 0;
      }
      return await execAttached(ctx, flags, execId, tty, stdin);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(errorText(err), 1);
    }
  },
};
