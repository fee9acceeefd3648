// berth diff CONTAINER: "C /path", "A /path", "D /path", one per line.
import { ContainerFsApi } from '../../client';
import type { CommandDef } from '../command';

const KIND = ['C', 'A', 'D'];

export const diff: CommandDef = {
  usage: 'CONTAINER',
  short: "Inspect changes to files or directories on a container's filesystem",
  args: { min: 1, max: 1 },
  flags: [],
  async run(ctx, _flags, args) {
    const changes = await new ContainerFsApi(ctx.client().engine).changes(args[0]);
    for (const c of changes) ctx.out(`${KIND[c.Kind] ?? '?'} ${c.Path}\n`);
  },
};
