// berth wait: block until containers stop and print their exit codes.
import type { CommandDef } from '../command';
import { forEach } from './shared';

export const wait: CommandDef = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Block until one or more containers stop, then print their exit codes',
  args: { min: 1 },
  flags: [],
  async run(ctx, _flags, args) {
    return forEach(ctx, args, async (name) => {
      const res = await ctx.client().containers.wait(name);
      if (res.Error?.Message) throw new Error(res.Error.Message);
      return String(res.StatusCode);
    });
  },
};
