// berth build --output type=image|registry / --push: the legacy /build API only
// stores the image locally, so the CLI tags it with the output's names and pushes
// each through the daemon (POST /images/{name}/push), as `berth push` would.
import type { CommandContext } from '../command';
import { CliError } from '../errors';
import { registryAuthFor, showProgress, splitReference } from '../commands/registry-shared';
import type { ImageOutput } from './build-output';

/** Names the built image gets: the output's names, else the -t tags (buildx's rule). */
export function imageOutputNames(out: ImageOutput, tags: string[]): string[] {
  const names = out.names.length ? out.names : tags;
  if (out.push && names.length === 0) throw new CliError('tag is needed when pushing to registry', 1);
  for (const name of names) if (splitReference(name).digest) throw new CliError(`invalid reference "${name}": a digest cannot be an output name`, 1);
  return names;
}

/** Tags `imageId` with every name and pushes them when asked; progress on `write`. */
export async function exportImageOutput(ctx: CommandContext, imageId: string, out: ImageOutput, names: string[], quiet: boolean): Promise<void> {
  const client = ctx.client();
  for (const ref of names) {
    const { name, tag } = splitReference(ref);
    await client.images.tag(imageId, name, tag ?? 'latest');
  }
  if (!out.push) return;
  for (const ref of names) {
    const { name, tag } = splitReference(ref);
    if (!quiet) ctx.out(`Pushing ${name}:${tag ?? 'latest'}\n`);
    const res = await client.images.push(name, tag ?? 'latest', registryAuthFor(name));
    await showProgress(ctx, res, quiet);
  }
}
