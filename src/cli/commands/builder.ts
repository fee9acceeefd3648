// berth builder prune: drops the build cache through POST /build/prune.
import type { CommandDef } from '../command';
import { humanSize } from '../format/units';
import { confirm } from '../io/prompt';

export const builderPrune: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Remove build cache',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', usage: 'Remove all unused build cache, not just dangling ones' },
    { name: 'force', short: 'f', kind: 'bool', usage: 'Do not prompt for confirmation' },
  ],
  async run(ctx, flags) {
    if (!flags.bool('force')) {
      const ok = await confirm(ctx, `WARNING! This will remove all ${flags.bool('all') ? '' : 'dangling '}build cache.\nAre you sure you want to continue?`);
      if (!ok) return 0;
    }
    const report = await ctx.client().build.prune(flags.bool('all'));
    if (report.CachesDeleted?.length) {
      ctx.out('Deleted build cache objects:\n');
      for (const id of report.CachesDeleted) ctx.out(`${id}\n`);
      ctx.out('\n');
    }
    ctx.out(`Total reclaimed space: ${humanSize(report.SpaceReclaimed)}\n`);
  },
};
