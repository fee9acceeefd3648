// The three ways the registry decides who may do what: no auth, htpasswd Basic auth, and
// bearer tokens from the built-in token endpoint (Docker's token-auth flow).
import type { IncomingMessage } from 'node:http';
import { RegistryError } from '../errors';
import { covers, scopeString, type Access } from './access';
import { parseBasic, type Htpasswd } from './htpasswd';
import type { JwtSigner } from './jwt';

export interface Identity {
  /** Authenticated user name; undefined for anonymous access. */
  user?: string;
  /** Whether this caller may also do `access` (checked after the fact, e.g. a mount's source). */
  allows(access: Access): boolean;
}

export interface Authorizer {
  /** Identify the caller and require `needed`; UNAUTHORIZED (with a challenge) otherwise. */
  authorize(req: IncomingMessage, needed: Access[]): Promise<Identity>;
}

const EVERYTHING: Identity = { allows: () => true };

export class OpenAuthorizer implements Authorizer {
  async authorize(): Promise<Identity> {
    return EVERYTHING;
  }
}

export class BasicAuthorizer implements Authorizer {
  constructor(private readonly htpasswd: Htpasswd, private readonly realm = 'berth-registry') {}

  async authorize(req: IncomingMessage): Promise<Identity> {
    const creds = parseBasic(req.headers.authorization);
    if (creds && (await this.htpasswd.verify(creds.user, creds.password))) return { user: creds.user, allows: () => true };
    throw new RegistryError('UNAUTHORIZED', {
      message: creds ? 'invalid username or password' : 'authentication required',
      headers: { 'WWW-Authenticate': `Basic realm="${this.realm}"` },
    });
  }
}

export interface TokenSettings {
  signer: JwtSigner;
  issuer: string;
  service: string;
  /** Token endpoint URL for a request (fixed by --token-realm, else derived from its Host). */
  realm(req: IncomingMessage): string;
}

interface TokenClaims { sub: string; access?: Access[] }

export class TokenAuthorizer implements Authorizer {
  constructor(private readonly settings: TokenSettings) {}

  async authorize(req: IncomingMessage, needed: Access[]): Promise<Identity> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const claims = m ? (this.settings.signer.verify(m[1], { iss: this.settings.issuer, aud: this.settings.service }) as (TokenClaims & object) | undefined) : undefined;
    if (!claims) throw this.challenge(req, needed, m ? 'invalid_token' : undefined);
    const grants = Array.isArray(claims.access) ? claims.access : [];
    if (!needed.every((n) => covers(grants, n))) throw this.challenge(req, needed, 'insufficient_scope');
    return { user: claims.sub || undefined, allows: (a) => covers(grants, a) };
  }

  private challenge(req: IncomingMessage, needed: Access[], error?: string): RegistryError {
    let value = `Bearer realm="${this.settings.realm(req)}",service="${this.settings.service}"`;
    if (needed.length) value += `,scope="${needed.map(scopeString).join(' ')}"`;
    if (error) value += `,error="${error}"`;
    const message = error === 'insufficient_scope' ? 'authentication required: token lacks the needed access' : 'authentication required';
    return new RegistryError('UNAUTHORIZED', { message, headers: { 'WWW-Authenticate': value }, detail: needed.length ? needed : undefined });
  }
}
