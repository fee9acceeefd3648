// berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]
import type { CommandDef } from '../command';
import { CliError } from '../errors';

/** Split "repo[:tag]" at the last colon after the last slash. */
export function splitRepoTag(ref: string): { repo: string; tag: string | undefined } {
  if (ref.includes('@')) throw new CliError('refusing to create a tag with a digest reference', 1);
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: undefined };
}

export const tag: CommandDef = {
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  args: { min: 2, max: 2 },
  flags: [],
  async run(ctx, _flags, args) {
    const { repo, tag: t } = splitRepoTag(args[1]);
    if (repo === '') throw new CliError('invalid reference format', 1);
    await ctx.client().images.tag(args[0], repo, t ?? 'latest');
  },
};
