// berth commit [-a AUTHOR] [-c CHANGE] [-m MESSAGE] [-p] CONTAINER [REPOSITORY[:TAG]]
import { ContainerFsApi } from '../../client';
import type { CommandDef } from '../command';
import { splitRepoTag } from './tag';

export const commit: CommandDef = {
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  args: { min: 1, max: 2 },
  flags: [
    { name: 'author', short: 'a', kind: 'string', usage: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', kind: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', kind: 'string', usage: 'Commit message' },
    { name: 'pause', short: 'p', kind: 'bool', default: true, usage: 'Pause container during commit' },
  ],
  async run(ctx, flags, args) {
    const [container, ref] = args;
    const { repo, tag } = ref ? splitRepoTag(ref) : { repo: undefined, tag: undefined };
    const res = await new ContainerFsApi(ctx.client().engine).commit(container, {
      repo, tag, author: flags.string('author') || undefined, comment: flags.string('message') || undefined,
      changes: flags.list('change'), pause: flags.bool('pause'),
    });
    ctx.out(`${res.Id}\n`);
  },
};
