// berth inspect / container inspect / image inspect: raw JSON (indented or compact)
// or a Go template per object, like Docker's inspect package.
import type { CommandContext, CommandDef } from '../command';
import type { FlagValues } from '../flags';
import { CliError } from '../errors';
import { Template } from '../template';
import { errorText, INSPECT_FORMAT_USAGE } from './shared';

type Getter = (ref: string) => Promise<unknown>;

const TYPES = ['config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'];

function isNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'ApiError' && (err as Error & { status: number }).status === 404;
}

async function inspectAll(ctx: CommandContext, refs: string[], format: string, get: Getter): Promise<number> {
  let tmpl: Template | undefined;
  if (format && format !== 'json') {
    try {
      tmpl = Template.parse(format);
    } catch (err) {
      throw new CliError(`template parsing error: ${(err as Error).message}`, 64);
    }
  }
  const elements: unknown[] = [];
  const errors: string[] = [];
  let text = '';
  for (const ref of refs) {
    let element: unknown;
    try {
      element = await get(ref);
    } catch (err) {
      if (err instanceof Error && err.name === 'ConnectionError') throw err;
      errors.push(errorText(err));
      continue;
    }
    if (!tmpl) {
      elements.push(element);
      continue;
    }
    try {
      text += tmpl.execute(element, { missingKey: 'error' }) + '\n';
    } catch (err) {
      errors.push(`template parsing error: ${(err as Error).message}`);
    }
  }
  if (!tmpl) text = (format === 'json' ? JSON.stringify(elements) : JSON.stringify(elements, null, 4)) + '\n';
  ctx.out(text === '' ? '\n' : text);
  if (errors.length > 0) throw new CliError(errors.join('\n'), 1);
  return 0;
}

const formatFlag = { name: 'format', short: 'f', kind: 'string' as const, usage: INSPECT_FORMAT_USAGE };

export const inspect: CommandDef = {
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Berth objects',
  args: { min: 1 },
  flags: [
    formatFlag,
    { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes if the type is container' },
    { name: 'type', kind: 'string', usage: 'Only inspect objects of the given type' },
  ],
  async run(ctx, flags: FlagValues, args) {
    const type = flags.string('type');
    if (flags.changed('type') && type === '') throw new CliError(`type is empty: must be one of "${TYPES.join('", "')}"`, 1);
    if (type && !TYPES.includes(type)) throw new CliError(`unknown type: "${type}": must be one of "${TYPES.join('", "')}"`, 1);
    const client = ctx.client();
    const size = flags.bool('size');
    const getters: Array<[string, Getter]> = [
      ['container', (ref) => client.containers.inspect(ref, size)],
      ['image', (ref) => client.images.inspect(ref)],
      ['network', (ref) => client.engine.json({ path: `/networks/${encodeURIComponent(ref)}` })],
      ['volume', (ref) => client.engine.json({ path: `/volumes/${encodeURIComponent(ref)}` })],
    ];
    const get: Getter = async (ref) => {
      for (const [kind, getter] of getters) {
        if (type && kind !== type) continue;
        try {
          const value = await getter(ref);
          if (size && kind !== 'container') ctx.err(`WARNING: --size ignored for ${kind}\n`);
          return value;
        } catch (err) {
          if (!type && (isNotFound(err) || /not supported|invalid reference format/.test((err as Error).message))) continue;
          throw err;
        }
      }
      if (type && !getters.some(([k]) => k === type)) throw new Error(`Error: ${type} inspect is not implemented yet`);
      throw new Error(`Error: No such object: ${ref}`);
    };
    return inspectAll(ctx, args, flags.string('format'), get);
  },
};

export const containerInspect: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Display detailed information on one or more containers',
  args: { min: 1 },
  flags: [formatFlag, { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes' }],
  async run(ctx, flags, args) {
    const size = flags.bool('size');
    return inspectAll(ctx, args, flags.string('format'), (ref) => ctx.client().containers.inspect(ref, size));
  },
};

export const imageInspect: CommandDef = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Display detailed information on one or more images',
  args: { min: 1 },
  flags: [formatFlag],
  async run(ctx, flags, args) {
    return inspectAll(ctx, args, flags.string('format'), (ref) => ctx.client().images.inspect(ref));
  },
};
