// berth container prune / image prune
import type { CommandContext, CommandDef } from '../command';
import { humanSize } from '../format/units';
import { confirm } from '../io/prompt';
import { filtersFrom, validateFilter } from './shared';

const pruneFilterFlag = { name: 'filter', kind: 'list' as const, typeName: 'filter', usage: 'Provide filter values (e.g. "until=<timestamp>")', validate: validateFilter };
const forceFlag = { name: 'force', short: 'f', kind: 'bool' as const, usage: 'Do not prompt for confirmation' };

function report(ctx: CommandContext, output: string, reclaimed: number): void {
  if (output) ctx.out(`${output}\n`);
  ctx.out(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
}

export const containerPrune: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Remove all stopped containers',
  args: { max: 0 },
  flags: [pruneFilterFlag, forceFlag],
  async run(ctx, flags) {
    const filters = await filtersFrom(flags.list('filter'));
    if (!flags.bool('force')) {
      const ok = await confirm(ctx, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?');
      if (!ok) return 0; // cancelled: Docker prints nothing more
    }
    const res = await ctx.client().containers.prune(filters);
    const deleted = res.ContainersDeleted ?? [];
    const output = deleted.length > 0 ? `Deleted Containers:\n${deleted.map((id) => `${id}\n`).join('')}` : '';
    report(ctx, output, deleted.length > 0 ? res.SpaceReclaimed ?? 0 : 0);
  },
};

export const imagePrune: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Remove unused images',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', usage: 'Remove all unused images, not just dangling ones' },
    pruneFilterFlag,
    forceFlag,
  ],
  async run(ctx, flags) {
    const all = flags.bool('all');
    const filters = await filtersFrom(flags.list('filter'));
    filters.dangling = { [String(!all)]: true };
    if (!flags.bool('force')) {
      const warning = all
        ? 'WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?'
        : 'WARNING! This will remove all dangling images.\nAre you sure you want to continue?';
      if (!(await confirm(ctx, warning))) return 0;
    }
    const res = await ctx.client().images.prune(filters);
    const deleted = res.ImagesDeleted ?? [];
    let output = '';
    if (deleted.length > 0) {
      output = 'Deleted Images:\n' + deleted.map((d) => (d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted ?? ''}\n`)).join('');
    }
    report(ctx, output, res.SpaceReclaimed ?? 0);
  },
};
