// berth top CONTAINER [ps OPTIONS]
import type { CommandDef } from '../command';
import { tabwrite } from '../format/tabwriter';

export const top: CommandDef = {
  usage: 'CONTAINER [ps OPTIONS]',
  short: 'Display the running processes of a container',
  args: { min: 1 },
  flags: [],
  // Everything after the container name belongs to ps.
  interspersed: false,
  async run(ctx, _flags, args) {
    const [container, ...psArgs] = args;
    const result = await ctx.client().containers.top(container, psArgs.join(' '));
    const lines = [result.Titles.join('\t'), ...result.Processes.map((p) => p.join('\t'))];
    ctx.out(tabwrite(lines.join('\n') + '\n', { minWidth: 20, padding: 3 }));
  },
};
