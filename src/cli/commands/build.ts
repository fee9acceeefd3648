// berth build: sends the context (a directory as a tar honouring .dockerignore, or
// a tar on stdin with "-") to POST /build and prints the legacy builder's stream.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { contextTar, type ContextSecret } from '../io/context-tar';
import { validSecretId } from '../../build/context/secrets';
import { exportBuildOutput, parseBuildOutput } from '../io/build-output';
import { exportImageOutput, imageOutputNames } from '../io/build-push';
import { plainProgress, progressMode, TtyProgress, type ProgressMode } from '../io/build-progress';
import { allCredentials } from '../credentials';
import type { JsonMessage } from '../../client/types';

type BuildStreamMessage = JsonMessage & { aux?: { ID?: string } };

export const build: CommandDef = {
  usage: '[OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'build-arg', kind: 'list', usage: 'Set build-time variables' },
    { name: 'cache-from', kind: 'list', usage: 'Images to consider as cache sources' },
    { name: 'file', short: 'f', kind: 'string', usage: "Name of the Dockerfile (Default is 'PATH/Dockerfile')" },
    { name: 'iidfile', kind: 'string', usage: 'Write the image ID to the file' },
    { name: 'label', kind: 'list', usage: 'Set metadata for an image' },
    { name: 'network', kind: 'string', usage: 'Set the networking mode for the RUN instructions during build', default: 'default' },
    { name: 'output', short: 'o', kind: 'list', usage: 'Output destination (format: "type=local,dest=path")' },
    { name: 'no-cache', kind: 'bool', usage: 'Do not use cache when building the image' },
    { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable' },
    { name: 'progress', kind: 'string', usage: 'Set type of progress output (auto, plain, tty)', default: 'auto' },
    { name: 'push', kind: 'bool', usage: 'Shorthand for "--output=type=registry"' },
    { name: 'pull', kind: 'bool', usage: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress the build output and print image ID on success' },
    { name: 'rm', kind: 'bool', usage: 'Remove intermediate containers after a successful build', default: true },
    { name: 'force-rm', kind: 'bool', usage: 'Always remove intermediate containers' },
    { name: 'secret', kind: 'list', usage: 'Secret to expose to the build (format: "id=mysecret[,src=/local/secret]")' },
    { name: 'ssh', kind: 'list', usage: 'SSH agent socket to expose to the build (format: "default|<id>[=<socket>]")' },
    { name: 'tag', short: 't', kind: 'list', usage: "Name and optionally a tag in the 'name:tag' format" },
    { name: 'target', kind: 'string', usage: 'Set the target build stage to build.' },
  ],
  async run(ctx, flags, args) {
    const [src] = args;
    const remote = /^(https?|git):\/\//.test(src) || src.startsWith('git@') || src.startsWith('github.com/') ? src : undefined;
    const file = flags.string('file') || undefined;
    const secrets = flags.list('secret').map(readSecret);
    const sshSockets = Object.fromEntries(flags.list('ssh').map(readSsh));
    let context: Readable;
    let dockerfile: string | undefined = file;
    if (remote) {
      // The daemon fetches remote contexts itself (POST /build?remote=URL).
      if (file === '-') throw new CliError('--file - cannot be used with a remote build context', 1);
      if (secrets.length) throw new CliError('--secret needs a directory build context (secrets travel with the context)', 1);
      context = Readable.from([]);
    } else if (src === '-') {
      if (file === '-') throw new CliError('invalid argument: can\'t use stdin for both build context and dockerfile', 1);
      if (secrets.length) throw new CliError('--secret needs a directory build context (secrets travel with the context)', 1);
      context = ctx.stdin;
    } else {
      const st = fs.statSync(src, { throwIfNoEntry: false });
      if (!st?.isDirectory()) throw new CliError(`unable to prepare context: path "${src}" not found`, 1);
      let packed;
      try {
        packed = file === '-' ? contextTar(src, { content: await readAll(ctx.stdin) }, secrets) : contextTar(src, { path: file ?? `${src}/Dockerfile` }, secrets);
      } catch (err) {
        throw new CliError(`unable to prepare context: ${(err as Error).message}`, 1);
      }
      context = packed.stream;
      dockerfile = packed.dockerfile;
    }
    const quiet = flags.bool('quiet');
    let mode: ProgressMode;
    try { mode = progressMode(flags.string('progress'), (flags.list('output').includes('-') ? ctx.stderr : ctx.stdout).isTTY === true); } catch (err) { throw new CliError((err as Error).message, 1); }
    const outputs = flags.list('output').map(parseBuildOutput);
    if (flags.bool('push')) outputs.push({ type: 'image', names: [], push: true });
    if (outputs.length > 1) throw new CliError('multiple outputs are not supported: give one --output', 1);
    const imageOut = outputs[0]?.type === 'image' ? outputs[0] : undefined;
    const fileOut = outputs[0]?.type === 'image' ? undefined : outputs[0];
    const imageNames = imageOut ? imageOutputNames(imageOut, flags.list('tag')) : [];
    const buildArgs = keyValues(flags.list('build-arg'), true);
    // As buildx does: SOURCE_DATE_EPOCH in the environment becomes the build arg.
    if (process.env.SOURCE_DATE_EPOCH && buildArgs.SOURCE_DATE_EPOCH === undefined) buildArgs.SOURCE_DATE_EPOCH = process.env.SOURCE_DATE_EPOCH;
    const res = await ctx.client().build.build(context, {
      dockerfile, tags: flags.list('tag'), buildArgs, labels: keyValues(flags.list('label'), false) as Record<string, string>,
      target: flags.string('target') || undefined, noCache: flags.bool('no-cache'), quiet, pull: flags.bool('pull'),
      secrets: secrets.map((s) => s.id), cacheFrom: flags.list('cache-from'), platform: flags.string('platform') || undefined, remote, sshSockets, registryConfig: allCredentials(), networkMode: flags.string('network') === 'default' ? undefined : flags.string('network'),
    });
    const { jsonLines } = await import('../../client/streams');
    let imageId = '';
    // With the tar on stdout, progress goes to stderr (as buildx does).
    const toStderr = fileOut?.dest === '-';
    const progressTty = toStderr ? ctx.stderr : ctx.stdout;
    const progress = quiet ? undefined
      : mode === 'tty' && (!toStderr || ctx.stderr.isTTY) ? new TtyProgress(progressTty)
        : plainProgress((s) => (toStderr ? ctx.err(s) : ctx.out(s)));
    let ok = false;
    try {
      for await (const msg of jsonLines<BuildStreamMessage>(res)) {
        if (msg.errorDetail || msg.error) throw new CliError(msg.errorDetail?.message || msg.error || 'build failed', msg.errorDetail?.code || 1);
        if (msg.aux?.ID) imageId = msg.aux.ID;
        else if (msg.stream !== undefined) progress?.text(msg.stream);
        // Pull progress of a base image: status lines only (bars would fight the step view).
        else if (msg.status !== undefined && !(msg.progressDetail?.total !== undefined && msg.progress)) {
          progress?.text(`${msg.id ? `${msg.id}: ` : ''}${msg.status}\n`);
        }
      }
      ok = true;
    } finally {
      progress?.end(ok);
    }
    if (!imageId) throw new CliError('build finished without an image ID', 1);
    if (fileOut) await exportBuildOutput(ctx.client(), imageId, fileOut, ctx.stdout);
    if (imageOut) await exportImageOutput(ctx, imageId, imageOut, imageNames, quiet);
    if (quiet && fileOut?.dest !== '-') ctx.out(`${imageId}\n`);
    const iidfile = flags.string('iidfile');
    if (iidfile) fs.writeFileSync(iidfile, imageId);
  },
};

/** --secret id=x[,src=FILE|,env=VAR] (type=file|env); BuildKit's defaults: src from id, env named like id. */
function readSecret(value: string): ContextSecret {
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new CliError(`invalid secret "${value}": expected key=value`, 1);
    fields.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  const id = fields.get('id');
  if (!id || !validSecretId(id)) throw new CliError(`invalid secret "${value}": a valid id is required`, 1);
  const env = fields.get('env') ?? (fields.get('type') === 'env' ? id : undefined);
  if (env !== undefined) {
    const v = process.env[env];
    if (v === undefined) throw new CliError(`secret ${id}: environment variable ${env} is not set`, 1);
    return { id, content: Buffer.from(v) };
  }
  const src = fields.get('src') ?? fields.get('source') ?? id;
  try {
    return { id, content: fs.readFileSync(src) };
  } catch (err) {
    throw new CliError(`failed to read secret ${id} from ${src}: ${(err as Error).message}`, 1);
  }
}

/** --ssh default|ID[=SOCKET]: an ssh-agent socket (default $SSH_AUTH_SOCK); the daemon binds it, so it must run on this host. */
function readSsh(value: string): [string, string] {
  const eq = value.indexOf('=');
  const id = eq < 0 ? value : value.slice(0, eq);
  if (!id || !/^[A-Za-z0-9_.-]+$/.test(id)) throw new CliError(`invalid ssh "${value}": expected default|<id>[=<socket>]`, 1);
  const src = eq < 0 ? process.env.SSH_AUTH_SOCK : value.slice(eq + 1);
  if (!src) throw new CliError(`invalid ssh "${value}": SSH_AUTH_SOCK is not set: give the agent socket as ${id}=<socket>`, 1);
  if (src.includes(',')) throw new CliError(`invalid ssh "${value}": key files are not supported by berth build, only an agent socket`, 1);
  const abs = path.resolve(src);
  if (!fs.statSync(abs, { throwIfNoEntry: false })?.isSocket()) throw new CliError(`invalid ssh "${value}": ${abs} is not an ssh-agent socket (key files are not supported)`, 1);
  return [id, abs];
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** KEY=VALUE pairs; for build args a bare KEY takes its value from the environment (null when unset). */
function keyValues(list: string[], fromEnv: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq >= 0) out[item.slice(0, eq)] = item.slice(eq + 1);
    else out[item] = fromEnv ? (process.env[item] ?? null) : '';
  }
  return out;
}
