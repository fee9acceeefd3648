// berth push [OPTIONS] NAME[:TAG]
import type { CommandDef } from '../command';
import { UsageError } from '../errors';
import { registryAuthFor, showProgress, splitReference } from './registry-shared';

export const push: CommandDef = {
  usage: '[OPTIONS] NAME[:TAG]',
  short: 'Upload an image to a registry',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'all-tags', short: 'a', kind: 'bool', usage: 'Push all tags of an image to the repository' },
    { name: 'disable-content-trust', kind: 'bool', usage: 'Skip image signing (default true)' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress verbose output' },
  ],
  async run(ctx, flags, args) {
    const all = flags.bool('all-tags');
    const quiet = flags.bool('quiet');
    const { name, tag, digest } = splitReference(args[0]);
    if (digest) throw new UsageError('cannot push a digest reference', 1);
    if (all && tag) throw new UsageError('tag can\'t be used with --all-tags/-a', 1);
    let shown = args[0];
    if (!all && !tag) {
      if (!quiet) ctx.out('Using default tag: latest\n');
      shown = `${name}:latest`;
    }
    const res = await ctx.client().images.push(name, all ? undefined : tag ?? 'latest', registryAuthFor(name));
    await showProgress(ctx, res, quiet);
    if (quiet) ctx.out(`${shown}\n`);
  },
};
