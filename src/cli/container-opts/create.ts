// Create a container the way `docker create`/`run` does: pull a missing image
// (after "Unable to find image ... locally"), print daemon warnings, write --cidfile.
import * as fs from 'node:fs';
import type { CommandContext } from '../command';
import type { CreatePlan } from './build';
import { displayJsonMessages } from '../format/json-messages';
import { registryAuthFor } from '../commands/registry-shared';

/** busybox → busybox:latest, docker.io/library/x → x; undefined for image IDs/digests. */
export function familiarTagged(image: string): string | undefined {
  if (/^(sha256:)?[a-f0-9]{64}$/.test(image)) return undefined;
  let ref = image.replace(/^docker\.io\/library\//, '').replace(/^index\.docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  const lastSlash = ref.lastIndexOf('/');
  const hasTag = ref.lastIndexOf(':') > lastSlash;
  if (!hasTag && !ref.includes('@')) ref += ':latest';
  return ref;
}

function splitTag(image: string): { name: string; tag: string | undefined } {
  const at = image.indexOf('@');
  if (at >= 0) return { name: image.slice(0, at), tag: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { name: image, tag: 'latest' };
}

async function pull(ctx: CommandContext, image: string, plan: CreatePlan): Promise<void> {
  const { name, tag } = splitTag(image);
  const res = await ctx.client().images.pull(name, tag, plan.platform, registryAuthFor(name));
  await displayJsonMessages(res, plan.quiet ? () => undefined : (t) => ctx.err(t));
}

export async function createContainer(ctx: CommandContext, plan: CreatePlan): Promise<string> {
  if (plan.cidfile && fs.existsSync(plan.cidfile)) {
    throw new Error(`container ID file found, make sure the other container isn't running or delete ${plan.cidfile}`);
  }
  const client = ctx.client();
  const image = plan.body.Image;
  if (plan.pull === 'always') await pull(ctx, image, plan);
  let created;
  try {
    created = await client.containers.create(plan.body, plan.name, plan.platform);
  } catch (err) {
    const named = familiarTagged(image);
    const notFound = err instanceof Error && err.name === 'ApiError' && (err as Error & { status: number }).status === 404;
    if (!notFound || !named || plan.pull !== 'missing') throw err;
    if (!plan.quiet) ctx.err(`Unable to find image '${named}' locally\n`);
    await pull(ctx, image, plan);
    created = await client.containers.create(plan.body, plan.name, plan.platform);
  }
  for (const w of created.Warnings ?? []) ctx.err(`WARNING: ${w}\n`);
  if (plan.cidfile) fs.writeFileSync(plan.cidfile, created.Id, { flag: 'wx' });
  return created.Id;
}
