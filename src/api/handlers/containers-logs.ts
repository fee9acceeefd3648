// GET /containers/{name}/logs: records from the k8s-file log, framed like Docker
// (multiplexed unless the container has a TTY).
import type { RequestContext } from '../context';
import { InvalidArgumentError } from '../../errors';
import { queryBool, startStream } from '../http-util';
import { parseTimestamp } from '../time-util';
import { recordEncoder, streamContentType } from '../streams/mux';
import { pipeRecordsBatched } from '../streams/batched-records';

function parseTail(raw: string | null): number | 'all' {
  if (raw === null || raw === '' || raw === 'all') return 'all';
  const n = Number.parseInt(raw, 10);
  // Docker treats an unparsable or negative tail as "all".
  return Number.isNaN(n) || n < 0 || !/^[0-9]+$/.test(raw.trim()) ? 'all' : n;
}

export async function containerLogs(ctx: RequestContext): Promise<void> {
  const { query, backend, res } = ctx;
  const stdout = queryBool(query, 'stdout');
  const stderr = queryBool(query, 'stderr');
  if (!stdout && !stderr) throw new InvalidArgumentError('Bad parameters: you must choose at least one stream');
  const now = Date.now() / 1000;
  const sinceRaw = query.get('since');
  const untilRaw = query.get('until');
  const since = sinceRaw && sinceRaw !== '0' ? parseTimestamp(sinceRaw, 'since', now) : undefined;
  const until = untilRaw && untilRaw !== '0' ? parseTimestamp(untilRaw, 'until', now) : undefined;
  const container = backend.containers.get(ctx.params.name);
  const timestamps = queryBool(query, 'timestamps');
  const details = queryBool(query, 'details');
  const source = backend.containers.logs(container.id, {
    stdout, stderr, since, until, timestamps, details,
    tail: parseTail(query.get('tail')),
    follow: queryBool(query, 'follow'),
  }, ctx.signal);
  const encode = recordEncoder({ tty: container.config.Tty, timestamps, details, stdout, stderr });
  startStream(res, streamContentType(container.config.Tty, ctx.version));
  try {
    await pipeRecordsBatched(source, encode, res, ctx.signal);
  } finally {
    source.destroy();
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}
