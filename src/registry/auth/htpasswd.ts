// htpasswd files with bcrypt entries ("user:$2y$..."), the format `htpasswd -B` writes and the
// CNCF registry reads. Verified results are cached by a hash of the credentials: clients send
// Basic auth on every request, and a bcrypt check costs tens of milliseconds of CPU.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as bcrypt from 'bcryptjs';

const CACHE_TTL_MS = 5 * 60_000;

export class Htpasswd {
  private readonly entries = new Map<string, string>();
  private readonly verified = new Map<string, number>();

  constructor(readonly file: string) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [i, raw] of text.split('\n').entries()) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const colon = line.indexOf(':');
      const hash = line.slice(colon + 1);
      if (colon <= 0 || !/^\$2[abxy]\$\d\d\$/.test(hash)) {
        throw new Error(`${file}:${i + 1}: not a bcrypt htpasswd entry (create it with htpasswd -B)`);
      }
      this.entries.set(line.slice(0, colon), hash);
    }
  }

  async verify(user: string, password: string): Promise<boolean> {
    const stored = this.entries.get(user);
    if (stored === undefined) return false;
    const key = createHash('sha256').update(`${user}\0${password}\0${stored}`).digest('hex');
    const until = this.verified.get(key);
    if (until !== undefined && until > Date.now()) return true;
    // bcryptjs knows $2a$/$2b$; $2y$ (PHP/Apache's name) is the same algorithm.
    const ok = await bcrypt.compare(password, stored.replace(/^\$2[xy]\$/, '$2a$'));
    if (ok) this.verified.set(key, Date.now() + CACHE_TTL_MS);
    return ok;
  }
}

/** user:password from an "Authorization: Basic ..." header. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** A bcrypt htpasswd line (for tests and `htpasswd`-less set-ups). */
export function htpasswdLine(user: string, password: string, cost = 10): string {
  return `${user}:${bcrypt.hashSync(password, cost)}`;
}
