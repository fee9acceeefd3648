// berth pull [OPTIONS] NAME[:TAG|@DIGEST]
import type { CommandDef } from '../command';
import { UsageError } from '../errors';
import { fullReference, registryAuthFor, showProgress, splitReference } from './registry-shared';

export const pull: CommandDef = {
  usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Download an image from a registry',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'all-tags', short: 'a', kind: 'bool', usage: 'Download all tagged images in the repository' },
    { name: 'disable-content-trust', kind: 'bool', usage: 'Skip image verification (default true)' },
    { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress verbose output' },
  ],
  async run(ctx, flags, args) {
    const all = flags.bool('all-tags');
    const quiet = flags.bool('quiet');
    const { name, tag, digest } = splitReference(args[0]);
    if (all && (tag || digest)) throw new UsageError('tag can\'t be used with --all-tags/-a', 1);
    let shown = args[0];
    if (!all && !tag && !digest) {
      if (!quiet) ctx.out('Using default tag: latest\n');
      shown = `${name}:latest`;
    }
    const res = await ctx.client().images.pull(name, all ? undefined : digest ?? tag ?? 'latest', flags.string('platform') || undefined, registryAuthFor(name));
    await showProgress(ctx, res, quiet);
    ctx.out(`${fullReference(shown)}\n`);
  },
};
