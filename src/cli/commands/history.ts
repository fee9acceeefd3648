// berth history / image history
import type { CommandDef } from '../command';
import { formatFlag } from './shared';
import { DEFAULT_HISTORY_FORMAT, HISTORY_HEADERS, historyContext } from '../contexts/image';
import { renderRows } from '../format/formatter';

export const history: CommandDef = {
  usage: '[OPTIONS] IMAGE',
  short: 'Show the history of an image',
  args: { min: 1, max: 1 },
  flags: [
    formatFlag,
    { name: 'human', short: 'H', kind: 'bool', default: true, usage: 'Print sizes and dates in human readable format' },
    { name: 'no-trunc', kind: 'bool', usage: "Don't truncate output" },
    { name: 'platform', kind: 'string', usage: 'Show history for the given platform. Formatted as "os[/arch[/variant]]" (e.g., "linux/amd64")' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only show image IDs' },
  ],
  async run(ctx, flags, args) {
    const items = await ctx.client().images.history(args[0], flags.string('platform') || undefined);
    let format = flags.string('format');
    if (flags.bool('quiet')) format = '{{.ID}}';
    else if (format === '' || format === 'table') format = DEFAULT_HISTORY_FORMAT;
    const trunc = !flags.bool('no-trunc');
    const human = flags.bool('human');
    // Without -H the date column holds absolute times, and Docker titles it so.
    const headers = human ? HISTORY_HEADERS : { ...HISTORY_HEADERS, CreatedSince: 'CREATED AT' };
    ctx.out(renderRows(format, items.map((h) => historyContext(h, trunc, human)), headers));
  },
};
