// berth create: create a container and print its ID.
import type { CommandDef } from '../command';
import { CONTAINER_FLAGS, buildCreatePlan, createContainer, sortFlags } from '../container-opts';
import { withHelp } from '../io/run-errors';

export const create: CommandDef = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new container',
  flags: sortFlags(CONTAINER_FLAGS),
  interspersed: false,
  args: { min: 1 },
  async run(ctx, flags, args) {
    let plan;
    try {
      plan = buildCreatePlan(flags, args, 'create');
    } catch (err) {
      throw withHelp(err, 'create');
    }
    const id = await createContainer(ctx, plan);
    ctx.out(`${id}\n`);
  },
};
