// Progress streams on a terminal, as Docker's jsonmessage renders them: one line
// per layer ID, rewritten in place (cursor up, clear line) as its status and
// progress bar change; messages without an ID scroll by as plain lines.
import type { Readable } from 'node:stream';
import type { JsonMessage } from '../../client/types';
import { CliError } from '../errors';
import type { DisplayOptions } from './json-messages';

const ESC = '\x1b[';

export async function displayJsonMessagesTty(body: Readable, write: (text: string) => void, options: DisplayOptions = {}): Promise<void> {
  const { jsonLines } = await import('../../client/streams');
  const lines = new Map<string, number>(); // id → line index from the top of the block
  let total = 0;
  for await (const msg of jsonLines<JsonMessage>(body)) {
    if (msg.errorDetail?.message || msg.error) throw new CliError(msg.errorDetail?.message || msg.error || 'unknown error', 1);
    if (msg.aux !== undefined) { options.onAux?.(msg.aux); continue; }
    if (msg.stream !== undefined) { write(msg.stream); continue; }
    if (msg.status === undefined) continue;
    const text = `${msg.id ? `${msg.id}: ` : ''}${msg.status}${msg.progress ? ` ${msg.progress}` : ''}`;
    if (!msg.id) {
      write(`${text}\n`);
      // Lines above keep their places; only later IDs get new ones below.
      lines.clear();
      total = 0;
      continue;
    }
    const line = lines.get(msg.id);
    if (line === undefined) {
      lines.set(msg.id, total++);
      write(`${text}\n`);
      continue;
    }
    const up = total - line;
    write(`${ESC}${up}A${ESC}2K\r${text}\n${up > 1 ? `${ESC}${up - 1}B` : ''}`);
  }
}
