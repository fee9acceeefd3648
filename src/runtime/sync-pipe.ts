// conmon's sync pipe speaks one JSON object per line: {"data": N, "message"?: "..."}.
import type { Readable } from 'node:stream';

export interface SyncMessage { data: number; message?: string }

/** Calls `onMessage` for each line; `onEnd` once the pipe closes. Malformed lines become errors. */
export function readSyncMessages(stream: Readable, onMessage: (msg: SyncMessage) => void, onEnd: (err?: Error) => void): void {
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += d.toString();
    let nl: number;
    while ((nl = text.indexOf('\n')) >= 0) {
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      if (line.trim() === '') continue;
      try {
        onMessage(JSON.parse(line) as SyncMessage);
      } catch {
        onEnd(new Error(`malformed conmon sync message: ${line}`));
      }
    }
  });
  stream.on('error', () => { /* the end event reports it */ });
  stream.on('close', () => onEnd());
}
