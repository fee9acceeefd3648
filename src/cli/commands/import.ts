// berth import: create an image from a rootfs tarball (file or "-" for stdin).
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { displayJsonMessages } from '../format/json-messages';
import { splitRepoTag } from './tag';

export const importCmd: CommandDef = {
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  short: 'Import the contents from a tarball to create a filesystem image',
  args: { min: 1, max: 2 },
  flags: [
    { name: 'change', short: 'c', kind: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', kind: 'string', usage: 'Set commit message for imported image' },
    { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable' },
  ],
  async run(ctx, flags, args) {
    const [src, ref] = args;
    const { repo, tag } = ref ? splitRepoTag(ref) : { repo: undefined, tag: undefined };
    const options = {
      repo, tag: repo ? tag ?? 'latest' : undefined,
      message: flags.string('message'), changes: flags.list('change'), platform: flags.string('platform') || undefined,
    };
    const images = ctx.client().images;
    let res;
    if (/^https?:\/\//.test(src)) {
      // The daemon fetches URLs itself (fromSrc=<url>), as dockerd does.
      res = await images.import(Buffer.alloc(0), { ...options, fromSrc: src });
    } else {
      let body: Readable;
      if (src === '-') body = ctx.stdin;
      else {
        try {
          fs.accessSync(src, fs.constants.R_OK);
        } catch (err) {
          throw new CliError(`open ${src}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`, 1);
        }
        body = fs.createReadStream(src);
      }
      res = await images.import(body, options);
    }
    await displayJsonMessages(res, (t) => ctx.out(t));
  },
};
