// berth save: a tar of images to a file (written atomically) or a non-terminal stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CommandDef } from '../command';
import { CliError } from '../errors';

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
    if (!output && ctx.stdout.isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
    const body = await ctx.client().images.save(args, undefined, flags.string('platform') || undefined);
    if (!output) {
      await pipeline(body, ctx.stdout, { end: false });
      return;
    }
    // Temp file + rename: a failed save never leaves a partial tar under the target name.
    const target = path.resolve(output);
    const tmp = path.join(path.dirname(target), `.berth_temp_${process.pid}_${Date.now()}`);
    try {
      await pipeline(body, fs.createWriteStream(tmp, { mode: 0o600 }));
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new CliError(`failed to save image: ${(err as Error).message}`, 1);
    }
  },
};
