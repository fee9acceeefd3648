// berth ps / container ls
import type { CommandDef } from '../command';
import { filterFlag, filtersFrom, formatFlag } from './shared';
import { containerContext, CONTAINER_HEADERS, DEFAULT_PS_FORMAT } from '../contexts/container';
import { renderRows, templateText } from '../format/formatter';
import { CliError } from '../errors';
import { Template } from '../template';
import type { ContainerSummary } from '../../client/types';

/** Does a custom format use .Size (also through {{json .}})? Docker asks for sizes then. */
function formatUsesSize(format: string): boolean {
  let tmpl: Template;
  try {
    tmpl = Template.parse(templateText(format));
  } catch (err) {
    throw new CliError(`failed to parse template: ${(err as Error).message}`, 1);
  }
  const probe: ContainerSummary = {
    Id: '', Names: [], Image: '', ImageID: '', Command: '', Created: 0, Ports: [], Labels: {}, State: '', Status: '',
  };
  const row = containerContext(probe, true);
  let used = false;
  const size = row.Size as () => string;
  row.Size = () => { used = true; return size(); };
  try {
    tmpl.execute(row);
  } catch (err) {
    throw new CliError(`failed to execute template: ${(err as Error).message}`, 1);
  }
  return used;
}

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
      size: flags.bool('size') || (!quiet && !['', 'json', 'table'].includes(flags.string('format')) && formatUsesSize(format)),
      filters: await filtersFrom(flags.list('filter')),
    });
    const trunc = !flags.bool('no-trunc');
    ctx.out(renderRows(format, containers.map((c) => containerContext(c, trunc)), CONTAINER_HEADERS));
  },
};
