// Log records to a client connection: frames stay one per record (clients such as
// docker-py yield one chunk per frame), but consecutive frames share one socket write
// (one HTTP chunk) while the source has more buffered, and go out at once when it has not.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { LogRecord } from '../../container/types';

const MAX_BATCH = 64 * 1024;

/** Resolves when the source ends, the sink goes away, or the signal aborts. */
export async function pipeRecordsBatched(source: Readable, encode: (record: LogRecord) => Buffer | undefined, sink: Writable, signal: AbortSignal): Promise<void> {
  const onAbort = () => source.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  let pending: Buffer[] = [];
  let size = 0;
  const flush = async (): Promise<boolean> => {
    if (size === 0) return true;
    const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending, size);
    pending = [];
    size = 0;
    if (sink.destroyed || sink.writableEnded) return false;
    if (!sink.write(bytes)) await Promise.race([once(sink, 'drain'), once(sink, 'close')]);
    return true;
  };
  try {
    for await (const record of source) {
      const bytes = encode(record as LogRecord);
      if (!bytes || bytes.length === 0) continue;
      pending.push(bytes);
      size += bytes.length;
      if ((size >= MAX_BATCH || source.readableLength === 0) && !(await flush())) break;
    }
    await flush();
  } catch (err) {
    if (!signal.aborted && !sink.destroyed) throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
