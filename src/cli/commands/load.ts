// berth load: load images from a tar file or stdin.
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { displayJsonMessages } from '../format/json-messages';

export const load: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Load an image from a tar archive or STDIN',
  args: { max: 0 },
  flags: [
    { name: 'input', short: 'i', kind: 'string', usage: 'Read from tar archive file, instead of STDIN' },
    { name: 'platform', kind: 'string', usage: 'Load only the given platform variant. Formatted as "os[/arch[/variant]]" (e.g., "linux/amd64")' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress the load output' },
  ],
  async run(ctx, flags) {
    const input = flags.string('input');
    let source: Readable;
    if (input) {
      try {
        fs.accessSync(input, fs.constants.R_OK);
      } catch (err) {
        throw new CliError(`open ${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`, 1);
      }
      source = fs.createReadStream(input);
    } else {
      if (ctx.stdin.isTTY) throw new CliError('requested load from stdin, but stdin is empty', 1);
      source = ctx.stdin;
    }
    const res = await ctx.client().images.load(source, flags.bool('quiet'), flags.string('platform') || undefined);
    if (String(res.headers['content-type'] ?? '').includes('json')) {
      await displayJsonMessages(res, (t) => ctx.out(t));
    } else {
      for await (const chunk of res) ctx.out(String(chunk));
    }
  },
};
