// Print a JSON-lines progress stream (load, import, pull) the way Docker's
// jsonmessage does on a non-terminal: one line per status, stream text verbatim,
// and the first error message ends the stream as a failure.
import type { Readable } from 'node:stream';
import type { JsonMessage } from '../../client/types';
import { CliError } from '../errors';

export interface DisplayOptions {
  /** Called for each aux payload (e.g. the loaded image ID). */
  onAux?: (aux: unknown) => void;
}

export async function displayJsonMessages(body: Readable, write: (text: string) => void, options: DisplayOptions = {}): Promise<void> {
  const { jsonLines } = await import('../../client/streams');
  for await (const msg of jsonLines<JsonMessage>(body)) {
    if (msg.errorDetail?.message || msg.error) {
      throw new CliError(msg.errorDetail?.message || msg.error || 'unknown error', 1);
    }
    if (msg.aux !== undefined) {
      options.onAux?.(msg.aux);
      continue;
    }
    if (msg.stream !== undefined) {
      write(msg.stream);
      continue;
    }
    if (msg.status !== undefined) {
      // Progress bars are for terminals; Docker prints only the status on a pipe.
      if (msg.progressDetail && msg.progressDetail.total !== undefined && msg.progress) continue;
      write(`${msg.id ? `${msg.id}: ` : ''}${msg.status}\n`);
    }
  }
}
