// Copying a record stream (container output) to a client connection with backpressure:
// a slow reader slows the source down instead of piling bytes up in berthd's memory.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { LogRecord } from '../../container/types';

/** Resolves when the source ends, the sink goes away, or the signal aborts. */
export async function pipeRecordsTo(source: Readable, encode: (record: LogRecord) => Buffer | undefined, sink: Writable, signal: AbortSignal): Promise<void> {
  const onAbort = () => source.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const record of source) {
      const bytes = encode(record as LogRecord);
      if (!bytes || bytes.length === 0) continue;
      if (sink.destroyed || sink.writableEnded) break;
      if (!sink.write(bytes)) {
        await Promise.race([once(sink, 'drain'), once(sink, 'close')]);
      }
    }
  } catch (err) {
    if (!signal.aborted && !sink.destroyed) throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
