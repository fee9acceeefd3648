// Exec endpoints: create (POST /containers/{name}/exec), start (hijacked unless
// Detach), inspect and resize. A start failure after the hijack is written into the
// stream as dockerd does; the CLI then reads exit code 126 from inspect.
import type { RequestContext } from '../context';
import type { ExecCreateRequest } from '../../container/types';
import { ConflictError, InvalidArgumentError, errorMessage } from '../../errors';
import { readJsonObject, sendJson, startStream } from '../http-util';
import { STREAM_STDOUT, frame, recordEncoder, streamContentType } from '../streams/mux';
import { hijack, socketSignal } from '../streams/hijack';
import { connectStdin } from '../streams/stdin';
import { pipeRecordsTo } from '../streams/records';
import { parseResizeQuery } from './containers-resize';

function stringArray(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new InvalidArgumentError(`json: cannot unmarshal ${typeof v} into Go struct field ExecConfig.${field} of type []string`);
  return v as string[];
}

export async function createExec(ctx: RequestContext): Promise<void> {
  const body = (await readJsonObject(ctx.req)) ?? {};
  const consoleSize = body.ConsoleSize;
  const request: ExecCreateRequest = {
    Cmd: stringArray(body.Cmd, 'Cmd'),
    Env: stringArray(body.Env, 'Env'),
    User: typeof body.User === 'string' ? body.User : undefined,
    WorkingDir: typeof body.WorkingDir === 'string' ? body.WorkingDir : undefined,
    Privileged: body.Privileged === true,
    Tty: body.Tty === true,
    AttachStdin: body.AttachStdin === true,
    AttachStdout: body.AttachStdout === true,
    AttachStderr: body.AttachStderr === true,
    DetachKeys: typeof body.DetachKeys === 'string' ? body.DetachKeys : undefined,
    ConsoleSize: Array.isArray(consoleSize) && consoleSize.length === 2 ? [Number(consoleSize[0]), Number(consoleSize[1])] : undefined,
  };
  if (request.WorkingDir && !request.WorkingDir.startsWith('/')) {
    throw new InvalidArgumentError(`the working directory '${request.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  const id = ctx.backend.containers.exec.create(ctx.params.name, request);
  sendJson(ctx.res, 201, { Id: id });
}

export function inspectExec(ctx: RequestContext): void {
  sendJson(ctx.res, 200, ctx.backend.containers.exec.inspect(ctx.params.id));
}

export function resizeExec(ctx: RequestContext): void {
  const { height, width } = parseResizeQuery(ctx.query);
  ctx.backend.containers.exec.resize(ctx.params.id, height, width);
  ctx.res.writeHead(200).end();
}

export async function startExec(ctx: RequestContext): Promise<void> {
  const body = (await readJsonObject(ctx.req)) ?? {};
  const execs = ctx.backend.containers.exec;
  const info = execs.inspect(ctx.params.id);
  if (info.Running) throw new ConflictError(`Exec command ${info.ID} is already running`);
  if (info.ExitCode !== null) throw new ConflictError(`Exec command ${info.ID} has already run`);
  if (body.Detach === true) {
    await execs.startDetached(info.ID);
    startStream(ctx.res, 'application/json');
    ctx.res.end();
    return;
  }
  const tty = info.ProcessConfig.tty;
  const { signal, dispose } = socketSignal(ctx.socket, ctx.signal);
  const socket = hijack(ctx, streamContentType(tty, ctx.version));
  const fail = (err: unknown) => {
    const text = Buffer.from(errorMessage(err) + '\r\n');
    if (!socket.destroyed) socket.write(tty ? text : frame(STREAM_STDOUT, text));
  };
  let disconnectStdin = () => {};
  try {
    const size = body.ConsoleSize;
    const consoleSize = Array.isArray(size) && size.length === 2 ? [Number(size[0]), Number(size[1])] as [number, number] : undefined;
    const attachment = await execs.startAttached(info.ID, consoleSize);
    disconnectStdin = connectStdin(socket, attachment.stdin);
    const encode = recordEncoder({ tty, stdout: true, stderr: true });
    try {
      await pipeRecordsTo(attachment.output, encode, socket, signal);
      await attachment.done;
    } finally {
      attachment.close();
    }
  } catch (err) {
    fail(err);
  } finally {
    disconnectStdin();
    dispose();
    if (!socket.destroyed) socket.end();
  }
}
