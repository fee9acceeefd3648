// berth ps / container ls
import type { CommandDef } from '../command';
import { filterFlag, filtersFrom, formatFlag } from './shared';
import { containerContext, CONTAINER_HEADERS, DEFAULT_PS_FORMAT } from '../contexts/container';
import { renderRows } from '../format/formatter';

export const ps: CommandDef = {
  usage: '[OPTIONS]',
  short: 'List containers',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', usage: 'Show all containers (default shows just running)' },
    filterFlag,
    formatFlag,
    { name: 'last', short: 'n', kind: 'int', default: -1, usage: 'Show n last created containers (includes all states)' },
    { name: 'latest', short: 'l', kind: 'bool', usage: 'Show the latest created container (includes all states)' },
    { name: 'no-trunc', kind: 'bool', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display container IDs' },
    { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes' },
  ],
  async run(ctx, flags) {
    const quiet = flags.bool('quiet');
    let format = flags.string('format');
    if (quiet) format = '{{.ID}}';
    else if (format === '' || format === 'table') format = DEFAULT_PS_FORMAT + (flags.bool('size') ? '\t{{.Size}}' : '');
    let limit = flags.int('last');
    if (flags.bool('latest')) limit = 1;
    const containers = await ctx.client().containers.list({
      all: flags.bool('all'),
      limit: limit > 0 ? limit : undefined,
      size: flags.bool('size') || (!quiet && format.includes('.Size')),
      filters: await filtersFrom(flags.list('filter')),
    });
    const trunc = !flags.bool('no-trunc');
    ctx.out(renderRows(format, containers.map((c) => containerContext(c, trunc)), CONTAINER_HEADERS));
  },
};
