// POST /containers/{name}/wait?condition=: the headers go out at once (the docker
// CLI waits for them before it starts the container); the body follows at exit.
import type { RequestContext } from '../context';
import type { WaitCondition } from '../../container/types';
import { InvalidArgumentError, errorMessage } from '../../errors';
import { startStream } from '../http-util';
import { versionAtLeast } from '../version';

const CONDITIONS: readonly WaitCondition[] = ['not-running', 'next-exit', 'removed'];

function parseCondition(ctx: RequestContext): WaitCondition {
  const raw = ctx.query.get('condition') ?? '';
  // Before API 1.30 there was no condition: the wait was for not-running.
  if (raw === '' || !versionAtLeast(ctx.version, '1.30')) return 'not-running';
  if (!(CONDITIONS as readonly string[]).includes(raw)) throw new InvalidArgumentError(`invalid condition: "${raw}"`);
  return raw as WaitCondition;
}

export async function waitContainer(ctx: RequestContext): Promise<void> {
  const condition = parseCondition(ctx);
  const { containers } = ctx.backend;
  // Resolve first so an unknown container is a plain 404 before any header goes out.
  const container = containers.get(ctx.params.name);
  const pending = containers.wait(container.id, condition, ctx.signal);
  // Registered synchronously: a start racing with this request cannot slip past.
  pending.catch(() => undefined);
  startStream(ctx.res, 'application/json');
  let body: { StatusCode: number; Error?: { Message: string } };
  try {
    body = await pending;
  } catch (err) {
    if (ctx.signal.aborted) return;
    body = { StatusCode: -1, Error: { Message: errorMessage(err) } };
  }
  if (!ctx.res.destroyed) ctx.res.end(JSON.stringify(body) + '\n');
}
