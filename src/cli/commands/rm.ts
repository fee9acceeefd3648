// berth rm: remove containers (-f kills running ones, -v their anonymous volumes).
import type { CommandDef } from '../command';
import { forEach } from './shared';

export const rm: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Remove one or more containers',
  args: { min: 1 },
  flags: [
    { name: 'force', short: 'f', kind: 'bool', usage: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'link', short: 'l', kind: 'bool', usage: 'Remove the specified link' },
    { name: 'volumes', short: 'v', kind: 'bool', usage: 'Remove anonymous volumes associated with the container' },
  ],
  async run(ctx, flags, args) {
    const opts = { force: flags.bool('force'), volumes: flags.bool('volumes'), link: flags.bool('link') };
    return forEach(ctx, args, async (name) => {
      const trimmed = name.replace(/^\/+/, '');
      if (!trimmed) throw new Error('container name cannot be empty');
      await ctx.client().containers.remove(trimmed, opts);
    });
  },
};
