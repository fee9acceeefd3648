// berth save: a tar of images to a file (written atomically) or a non-terminal stdout.
import type { CommandDef } from '../command';
import { checkTarOutput, writeTarOutput } from '../io/tar-output';

export const save: CommandDef = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  args: { min: 1 },
  flags: [
    { name: 'output', short: 'o', kind: 'string', usage: 'Write to a file, instead of STDOUT' },
    { name: 'platform', kind: 'string', usage: 'Save only the given platform variant. Formatted as "os[/arch[/variant]]" (e.g., "linux/amd64")' },
  ],
  async run(ctx, flags, args) {
    const output = flags.string('output');
    checkTarOutput(ctx, output);
    const body = await ctx.client().images.save(args, undefined, flags.string('platform') || undefined);
    await writeTarOutput(ctx, body, output, 'failed to save image');
  },
};
