// berth logs: a container's output (stdout and stderr kept apart unless it has a TTY).
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { getTimestamp } from '../format/time';

function timestampFlag(name: string, value: string): string | undefined {
  if (!value) return undefined;
  try {
    return getTimestamp(value);
  } catch (err) {
    throw new CliError(`invalid value for "${name}": ${(err as Error).message}`, 1);
  }
}

export const logs: CommandDef = {
  usage: '[OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'details', kind: 'bool', usage: 'Show extra details provided to logs' },
    { name: 'follow', short: 'f', kind: 'bool', usage: 'Follow log output' },
    { name: 'since', kind: 'string', usage: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'tail', short: 'n', kind: 'string', default: 'all', usage: 'Number of lines to show from the end of the logs' },
    { name: 'timestamps', short: 't', kind: 'bool', usage: 'Show timestamps' },
    { name: 'until', kind: 'string', usage: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  async run(ctx, flags, args) {
    const since = timestampFlag('since', flags.string('since'));
    const until = timestampFlag('until', flags.string('until'));
    const containers = ctx.client().containers;
    const info = await containers.inspect(args[0]);
    const body = await containers.logs(info.Id, {
      stdout: true, stderr: true, follow: flags.bool('follow'), timestamps: flags.bool('timestamps'),
      since, until, tail: flags.string('tail'), details: flags.bool('details'),
    });
    const { demuxStream } = await import('../../client/streams');
    await demuxStream(body, ctx.stdout, ctx.stderr, info.Config.Tty === true);
  },
};
