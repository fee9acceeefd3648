// berth stop / kill / restart / pause / unpause: one call per container, names echoed.
import type { CommandDef } from '../command';
import type { FlagDef, FlagValues } from '../flags';
import { CliError } from '../errors';
import { forEach } from './shared';

const timeoutFlags: FlagDef[] = [
  { name: 'signal', short: 's', kind: 'string', usage: 'Signal to send to the container' },
  { name: 'timeout', short: 't', kind: 'int', usage: 'Seconds to wait before killing the container' },
  { name: 'time', kind: 'int', hidden: true, usage: 'Seconds to wait before killing the container (deprecated: use --timeout)' },
];

function stopOptions(flags: FlagValues): { timeout?: number; signal?: string } {
  if (flags.changed('time') && flags.changed('timeout')) {
    throw new CliError('conflicting options: cannot specify both --timeout and --time', 1);
  }
  const timeout = flags.changed('timeout') ? flags.int('timeout') : flags.changed('time') ? flags.int('time') : undefined;
  return { timeout, signal: flags.string('signal') || undefined };
}

export const stop: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop one or more running containers',
  args: { min: 1 },
  flags: timeoutFlags,
  async run(ctx, flags, args) {
    const opts = stopOptions(flags);
    return forEach(ctx, args, async (name) => { await ctx.client().containers.stop(name, opts); });
  },
};

export const restart: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Restart one or more containers',
  args: { min: 1 },
  flags: timeoutFlags,
  async run(ctx, flags, args) {
    const opts = stopOptions(flags);
    return forEach(ctx, args, (name) => ctx.client().containers.restart(name, opts));
  },
};

export const kill: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  args: { min: 1 },
  flags: [{ name: 'signal', short: 's', kind: 'string', usage: 'Signal to send to the container' }],
  async run(ctx, flags, args) {
    const signal = flags.string('signal') || undefined;
    return forEach(ctx, args, (name) => ctx.client().containers.kill(name, signal));
  },
};

export const pause: CommandDef = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Pause all processes within one or more containers',
  args: { min: 1 },
  flags: [],
  async run(ctx, _flags, args) {
    return forEach(ctx, args, (name) => ctx.client().containers.pause(name));
  },
};

export const unpause: CommandDef = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Unpause all processes within one or more containers',
  args: { min: 1 },
  flags: [],
  async run(ctx, _flags, args) {
    return forEach(ctx, args, (name) => ctx.client().containers.unpause(name));
  },
};
