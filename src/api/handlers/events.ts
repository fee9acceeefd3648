// GET /events: past events from the bus history (since), then live ones, as JSON
// lines. `until` in the past ends the stream after the replay; in the future it
// ends the stream at that moment.
import type { RequestContext } from '../context';
import type { EngineEvent } from '../../events';
import { InvalidArgumentError } from '../../errors';
import { parseFilters } from '../filters';
import { compileEventFilter, eventJson } from '../convert/events';
import { parseTimestamp } from '../time-util';
import { startStream } from '../http-util';

export async function events(ctx: RequestContext): Promise<void> {
  const { query, res, backend } = ctx;
  const nowSec = Date.now() / 1000;
  const sinceRaw = query.get('since');
  const untilRaw = query.get('until');
  const since = sinceRaw ? parseTimestamp(sinceRaw, 'since', nowSec) : undefined;
  const until = untilRaw ? parseTimestamp(untilRaw, 'until', nowSec) : undefined;
  if (since !== undefined && until !== undefined && until < since) {
    throw new InvalidArgumentError(`\`since\` time (${sinceRaw}) cannot be after \`until\` time (${untilRaw})`);
  }
  const accept = compileEventFilter(parseFilters(query.get('filters')));
  const untilNano = until !== undefined ? until * 1e9 : Infinity;
  const sinceNano = since !== undefined ? since * 1e9 : 0;

  // Subscribe before replaying so nothing published in between is lost.
  const pending: EngineEvent[] = [];
  let live = false;
  let lastNano = 0;
  const send = (ev: EngineEvent) => {
    if (ev.timeNano <= lastNano || ev.timeNano < sinceNano || ev.timeNano > untilNano || !accept(ev)) return;
    lastNano = ev.timeNano;
    res.write(JSON.stringify(eventJson(ev)) + '\n');
  };
  const unsubscribe = backend.events.subscribe((ev) => {
    if (live) send(ev);
    else pending.push(ev);
  });

  try {
    startStream(res, 'application/json');
    if (since !== undefined) for (const ev of backend.events.past(sinceNano, untilNano)) send(ev);
    for (const ev of pending) send(ev);
    live = true;
    if (until !== undefined && until <= Date.now() / 1000) return;
    await new Promise<void>((resolve) => {
      const timer = until !== undefined ? setTimeout(resolve, Math.max(0, until * 1000 - Date.now()) + 1) : undefined;
      ctx.signal.addEventListener('abort', () => {
        if (timer) clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  } finally {
    unsubscribe();
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}
