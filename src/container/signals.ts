// Signal names and numbers as Docker accepts them ("SIGTERM", "TERM", "15").
import { constants } from 'node:os';
import { InvalidArgumentError } from '../errors';

const SIGNALS = constants.signals as Record<string, number>;

/** Signal number for a Docker-style signal argument; InvalidArgumentError when unknown. */
export function parseSignal(raw: string | number): number {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw > 0 && raw <= 64) return raw;
    throw new InvalidArgumentError(`Invalid signal: ${raw}`);
  }
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n > 0 && n <= 64) return n;
    throw new InvalidArgumentError(`Invalid signal: ${raw}`);
  }
  const name = 'SIG' + text.toUpperCase().replace(/^SIG/, '');
  const rt = /^SIGRTMIN(?:\+(\d+))?$/.exec(name) ?? /^SIGRTMAX(?:-(\d+))?$/.exec(name);
  if (rt) {
    const off = Number(rt[1] ?? 0);
    const n = name.startsWith('SIGRTMIN') ? 34 + off : 64 - off;
    if (n >= 34 && n <= 64) return n;
  }
  const n = SIGNALS[name];
  if (n === undefined) throw new InvalidArgumentError(`Invalid signal: ${raw}`);
  return n;
}

export const SIGKILL = 9;
export const SIGTERM = 15;
