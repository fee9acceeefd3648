// berth rmi / image rm: untag and delete images.
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { errorText } from './shared';

export const rmi: CommandDef = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Remove one or more images',
  args: { min: 1 },
  flags: [
    { name: 'force', short: 'f', kind: 'bool', usage: 'Force removal of the image' },
    { name: 'no-prune', kind: 'bool', usage: 'Do not delete untagged parents' },
  ],
  async run(ctx, flags, args) {
    const errors: string[] = [];
    for (const name of args) {
      try {
        const items = await ctx.client().images.remove(name, { force: flags.bool('force'), noPrune: flags.bool('no-prune') });
        for (const item of items ?? []) {
          if (item.Deleted) ctx.out(`Deleted: ${item.Deleted}\n`);
          else if (item.Untagged) ctx.out(`Untagged: ${item.Untagged}\n`);
        }
      } catch (err) {
        if (err instanceof Error && err.name === 'ConnectionError') throw err;
        errors.push(errorText(err));
      }
    }
    if (errors.length > 0) throw new CliError(errors.join('\n'), 1);
  },
};
