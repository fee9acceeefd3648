// Detach key sequences (`--detach-keys`, default ctrl-p,ctrl-q): parsed as Docker's
// term.ToBytes does, and recognised in a TTY attach's stdin stream.
import { Transform, type TransformCallback } from 'node:stream';
import { InvalidArgumentError } from '../errors';

export const DEFAULT_DETACH_KEYS = Buffer.from([0x10, 0x11]); // ctrl-p, ctrl-q

/** "ctrl-p,ctrl-q" / "a,ctrl-@" → bytes; "" → the default sequence. */
export function parseDetachKeys(spec: string | undefined): Buffer {
  if (spec === undefined || spec === '') return DEFAULT_DETACH_KEYS;
  const out: number[] = [];
  for (const key of spec.split(',')) {
    const k = key.trim().toLowerCase();
    if (k.length === 1) { out.push(key.trim().charCodeAt(0)); continue; }
    const m = /^ctrl-(.)$/.exec(k);
    if (!m) throw new InvalidArgumentError(`Invalid detach keys (${spec}) provided`);
    const c = m[1];
    if (c >= 'a' && c <= 'z') out.push(c.charCodeAt(0) - 'a'.charCodeAt(0) + 1);
    else if (c === '@') out.push(0);
    else if (c === '[') out.push(27);
    else if (c === '\\') out.push(28);
    else if (c === ']') out.push(29);
    else if (c === '^') out.push(30);
    else if (c === '_') out.push(31);
    else throw new InvalidArgumentError(`Invalid detach keys (${spec}) provided`);
  }
  return Buffer.from(out);
}

/**
 * Passes stdin through until the key sequence is seen, then calls `onDetach` and stops.
 * Bytes that start a possible match are held back until the match fails.
 */
export class DetachKeyFilter extends Transform {
  private matched = 0;
  private detached = false;

  constructor(private readonly keys: Buffer, private readonly onDetach: () => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (this.detached) { callback(); return; }
    let start = 0;
    const flushPlain = (end: number) => { if (end > start) this.push(chunk.subarray(start, end)); };
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === this.keys[this.matched]) {
        if (this.matched === 0) { flushPlain(i); }
        this.matched++;
        start = i + 1;
        if (this.matched === this.keys.length) {
          this.detached = true;
          callback();
          this.onDetach();
          return;
        }
      } else if (this.matched > 0) {
        // The held-back prefix was ordinary input after all.
        this.push(this.keys.subarray(0, this.matched));
        this.matched = 0;
        start = i;
        i--; // this byte may start a new match
      }
    }
    flushPlain(chunk.length);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.detached && this.matched > 0) this.push(this.keys.subarray(0, this.matched));
    callback();
  }
}
