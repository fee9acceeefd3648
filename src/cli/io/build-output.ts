// berth build --output: the legacy /build API has no exporter, so the CLI exports
// the final stage's filesystem itself: a created (never started) container of the
// built image, GET /containers/{id}/export, then the container is removed.
// type=local extracts the tar into a directory; type=tar writes it (to stdout with "-").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BerthClient } from '../../client';
import { ContainerFsApi } from '../../client';
import { CliError } from '../errors';
import { extractToHost } from './cp-archive';

export interface BuildOutput { type: 'local' | 'tar'; dest: string }
/** type=image / type=registry: the built image is tagged with `names` (the -t tags when empty) and pushed when `push`. */
export interface ImageOutput { type: 'image'; names: string[]; push: boolean }

/** Parses one --output value: "type=local,dest=DIR", "type=tar,dest=FILE", "DIR", "-" (tar to stdout), "type=image|registry,...". */
export function parseBuildOutput(value: string): BuildOutput | ImageOutput {
  if (!value.includes('=')) return value === '-' ? { type: 'tar', dest: '-' } : { type: 'local', dest: value };
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new CliError(`invalid value "${part}" for --output: expected key=value`, 1);
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1));
  }
  const type = fields.get('type') ?? 'local';
  if (type === 'image' || type === 'registry') return parseImageOutput(type, fields);
  const dest = fields.get('dest') ?? '';
  if (type !== 'local' && type !== 'tar') throw new CliError(`output type "${type}" is not supported by berth build (local, tar, image, registry)`, 1);
  if (!dest) throw new CliError(`dest is required for ${type} exporter`, 1);
  return { type, dest };
}

/** Writes the image's filesystem where `out` says; the helper container is always removed. */
export async function exportBuildOutput(client: BerthClient, imageId: string, out: BuildOutput, stdout: NodeJS.WritableStream): Promise<void> {
  // A command is given so images without CMD/ENTRYPOINT can be created; it never runs.
  const { Id } = await client.containers.create({ Image: imageId, Cmd: ['/berth-build-output'], Entrypoint: [], Labels: {} });
  try {
    const tar = await new ContainerFsApi(client.engine).export(Id);
    if (out.type === 'tar') {
      if (out.dest === '-') { await pipeline(tar, stdout, { end: false }); return; }
      const target = path.resolve(out.dest);
      const tmp = `${target}.berth-tmp-${process.pid}`;
      try {
        await pipeline(tar, fs.createWriteStream(tmp, { mode: 0o644 }));
        fs.renameSync(tmp, target);
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw new CliError(`failed to export build output: ${(err as Error).message}`, 1);
      }
      return;
    }
    fs.mkdirSync(out.dest, { recursive: true });
    await extractToHost(tar, path.resolve(out.dest), { chown: process.getuid?.() === 0 });
  } finally {
    await client.containers.remove(Id, { force: true }).catch(() => undefined);
  }
}

function parseImageOutput(type: 'image' | 'registry', fields: Map<string, string>): ImageOutput {
  const known = new Set(['type', 'name', 'push']);
  for (const key of fields.keys()) if (!known.has(key)) throw new CliError(`output attribute "${key}" is not supported by berth build for type=${type} (name, push)`, 1);
  const pushValue = fields.get('push');
  if (pushValue !== undefined && pushValue !== 'true' && pushValue !== 'false') throw new CliError(`invalid value "${pushValue}" for push: expected true or false`, 1);
  const name = fields.get('name')?.trim();
  const names = name ? [name] : [];
  return { type: 'image', names, push: type === 'registry' || pushValue === 'true' };
}
