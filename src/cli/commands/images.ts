// berth images / image ls
import type { CommandDef } from '../command';
import { filterFlag, filtersFrom, formatFlag } from './shared';
import { DEFAULT_IMAGES_DIGEST_FORMAT, DEFAULT_IMAGES_FORMAT, IMAGE_HEADERS, imageRows } from '../contexts/image';
import { renderRows } from '../format/formatter';

export const images: CommandDef = {
  usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  short: 'List images',
  args: { max: 1 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', usage: 'Show all images (default hides intermediate images)' },
    { name: 'digests', kind: 'bool', usage: 'Show digests' },
    filterFlag,
    formatFlag,
    { name: 'no-trunc', kind: 'bool', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only show image IDs' },
  ],
  async run(ctx, flags, args) {
    const filters = await filtersFrom(flags.list('filter'));
    if (args[0]) (filters.reference ??= {})[args[0]] = true;
    const quiet = flags.bool('quiet');
    const digests = flags.bool('digests');
    let format = flags.string('format');
    if (quiet) format = '{{.ID}}';
    else if (format === '' || format === 'table') format = digests ? DEFAULT_IMAGES_DIGEST_FORMAT : DEFAULT_IMAGES_FORMAT;
    const list = await ctx.client().images.list({ all: flags.bool('all'), filters });
    const trunc = !flags.bool('no-trunc');
    const wantDigests = digests || format.includes('{{.Digest}}');
    const rows = list.flatMap((img) => imageRows(img, trunc, wantDigests));
    ctx.out(renderRows(format, rows, IMAGE_HEADERS));
  },
};
