// Pull-based streaming tar reader: next() returns the following entry (after
// folding GNU long names and PAX headers in), body() yields that entry's bytes
// without copying. Unread bodies are skipped by next(). After the end-of-archive
// marker the rest of the input is drained, so a digest taken over the input
// covers every byte (Docker's diff ID does the same).
import { BLOCK, TarFormatError, decodeHeader, decodePax, isZeroBlock, toEntry, type TarEntry } from './tar-header';

const MAX_META_SIZE = 4 << 20; // long names and PAX records beyond this are hostile
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

export class TarReader {
  private readonly input: AsyncIterator<Buffer>;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private offset = 0; // bytes consumed so far
  private remaining = 0; // unread body bytes of the current entry
  private padding = 0;
  private ended = false;
  private globalPax = new Map<string, Buffer>();

  constructor(input: AsyncIterable<Buffer>) {
    this.input = input[Symbol.asyncIterator]();
  }

  /** The next entry, or null at the end of the archive (input fully drained). */
  async next(): Promise<TarEntry | null> {
    await this.skipBody();
    let pax = new Map(this.globalPax);
    let longName: string | undefined;
    let longLink: string | undefined;
    for (;;) {
      const block = await this.read(BLOCK);
      if (block === null || isZeroBlock(block)) {
        if (block === null && (pax.size > this.globalPax.size || longName !== undefined || longLink !== undefined)) {
          throw new TarFormatError('unexpected end of archive after an extended header');
        }
        await this.drain();
        return null;
      }
      const raw = decodeHeader(block, this.offset - BLOCK);
      const dataSize = HEADER_ONLY.has(raw.typeflag) ? 0 : raw.size;
      switch (raw.typeflag) {
        case 'x': pax = new Map([...pax, ...decodePax(await this.meta(dataSize))]); continue;
        case 'g': this.globalPax = new Map([...this.globalPax, ...decodePax(await this.meta(dataSize))]); pax = new Map([...this.globalPax, ...pax]); continue;
        case 'L': longName = (await this.meta(dataSize)).toString('utf8').replace(/\0+$/, ''); continue;
        case 'K': longLink = (await this.meta(dataSize)).toString('utf8').replace(/\0+$/, ''); continue;
      }
      const paxSize = pax.get('size');
      this.remaining = paxSize !== undefined && !HEADER_ONLY.has(raw.typeflag) ? Number(paxSize.toString('latin1')) : dataSize;
      if (!Number.isSafeInteger(this.remaining) || this.remaining < 0) throw new TarFormatError('bad entry size');
      this.padding = (BLOCK - (this.remaining % BLOCK)) % BLOCK;
      const entry = toEntry(raw, pax, longName, longLink);
      if (entry !== null) return entry;
      await this.skipBody(); // a type with nothing to extract
      pax = new Map(this.globalPax);
      longName = longLink = undefined;
    }
  }

  /** The current entry's data, as slices of the input chunks. */
  async *body(): AsyncGenerator<Buffer> {
    while (this.remaining > 0) {
      if (this.buffered === 0 && !(await this.fill(1))) throw new TarFormatError('unexpected end of archive inside an entry');
      const head = this.chunks[0];
      const take = Math.min(head.length, this.remaining);
      const out = take === head.length ? head : head.subarray(0, take);
      this.consume(take);
      this.remaining -= take;
      yield out;
    }
  }

  /** Bytes read from the input so far. */
  get position(): number {
    return this.offset;
  }

  private async skipBody(): Promise<void> {
    while (this.remaining > 0) {
      if (this.buffered === 0 && !(await this.fill(1))) throw new TarFormatError('unexpected end of archive inside an entry');
      const take = Math.min(this.buffered, this.remaining);
      this.consume(take);
      this.remaining -= take;
    }
    if (this.padding > 0) {
      if ((await this.read(this.padding)) === null) throw new TarFormatError('unexpected end of archive in padding');
      this.padding = 0;
    }
  }

  private async meta(size: number): Promise<Buffer> {
    if (size > MAX_META_SIZE) throw new TarFormatError('extended header too large');
    const data = await this.read(size);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (data === null || (pad > 0 && (await this.read(pad)) === null)) throw new TarFormatError('unexpected end of archive in an extended header');
    return data;
  }

  /** Exactly n bytes, or null at a clean end of input (no bytes at all). */
  private async read(n: number): Promise<Buffer | null> {
    if (n === 0) return Buffer.alloc(0);
    if (!(await this.fill(n))) {
      if (this.buffered === 0) return null;
      throw new TarFormatError('unexpected end of archive');
    }
    let out: Buffer;
    if (this.chunks[0].length >= n) {
      out = this.chunks[0].subarray(0, n);
    } else {
      out = Buffer.allocUnsafe(n);
      let copied = 0;
      for (const c of this.chunks) {
        copied += c.copy(out, copied, 0, Math.min(c.length, n - copied));
        if (copied === n) break;
      }
    }
    this.consume(n);
    return out;
  }

  private consume(n: number): void {
    this.buffered -= n;
    this.offset += n;
    while (n > 0) {
      const head = this.chunks[0];
      if (head.length <= n) { this.chunks.shift(); n -= head.length; } else { this.chunks[0] = head.subarray(n); n = 0; }
    }
  }

  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n) {
      if (this.ended) return false;
      const { value, done } = await this.input.next();
      if (done) { this.ended = true; return false; }
      const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
      if (chunk.length === 0) continue;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    return true;
  }

  private async drain(): Promise<void> {
    this.offset += this.buffered;
    this.chunks = [];
    this.buffered = 0;
    while (!this.ended) {
      const { value, done } = await this.input.next();
      if (done) this.ended = true;
      else this.offset += (value as Buffer).length;
    }
  }
}
