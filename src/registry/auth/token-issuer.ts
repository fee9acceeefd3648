// The built-in token server (Docker token-auth spec): GET with Basic credentials (or none)
// and scope/service query parameters, or the OAuth2 POST form (password / refresh_token grant).
// It answers {token, access_token, expires_in, issued_at[, refresh_token]}.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RegistryError } from '../errors';
import { isValidName } from '../names';
import { parseScope, type Access } from './access';
import { parseBasic, type Htpasswd } from './htpasswd';
import type { JwtSigner } from './jwt';

export const TOKEN_LIFETIME_SECONDS = 300;
const REFRESH_LIFETIME_SECONDS = 30 * 24 * 3600;
const GRANTABLE = ['pull', 'push', 'delete', '*'];

export interface TokenResponse {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
  refresh_token?: string;
}

export interface TokenRequest {
  service?: string;
  scopes: string[];
  user?: string;
  password?: string;
  refreshToken?: string;
  offline: boolean;
}

export class TokenIssuer {
  constructor(
    private readonly signer: JwtSigner,
    private readonly issuer: string,
    private readonly service: string,
    /** undefined: no credential store, every caller (anonymous too) gets what it asks for. */
    private readonly htpasswd: Htpasswd | undefined,
  ) {}

  /** Parse a GET query or POST form into a request. */
  static requestFrom(req: IncomingMessage, params: URLSearchParams): TokenRequest {
    const basic = parseBasic(req.headers.authorization);
    const scopes = params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const grant = params.get('grant_type');
    return {
      service: params.get('service') ?? undefined,
      scopes,
      user: grant === 'password' ? params.get('username') ?? undefined : basic?.user,
      password: grant === 'password' ? params.get('password') ?? undefined : basic?.password,
      refreshToken: grant === 'refresh_token' ? params.get('refresh_token') ?? '' : undefined,
      offline: params.get('offline_token') === 'true' || params.get('access_type') === 'offline',
    };
  }

  async issue(r: TokenRequest): Promise<TokenResponse> {
    if (r.service !== undefined && r.service !== this.service) {
      throw new RegistryError('DENIED', { message: `unknown service ${JSON.stringify(r.service)}` });
    }
    const user = await this.authenticate(r);
    const mayAct = user !== undefined || this.htpasswd === undefined;
    const access: Access[] = [];
    for (const text of r.scopes) {
      const scope = parseScope(text);
      if (!scope) continue;
      const known = scope.type === 'repository' ? isValidName(scope.name) : scope.name === 'catalog';
      const actions = mayAct && known ? scope.actions.filter((a) => GRANTABLE.includes(a)) : [];
      access.push({ ...scope, actions });
    }
    const now = Math.floor(Date.now() / 1000);
    const token = this.signer.sign({
      iss: this.issuer, sub: user ?? '', aud: this.service, iat: now, nbf: now, exp: now + TOKEN_LIFETIME_SECONDS, jti: randomUUID(), access,
    });
    const out: TokenResponse = { token, access_token: token, expires_in: TOKEN_LIFETIME_SECONDS, issued_at: new Date(now * 1000).toISOString() };
    if (user !== undefined && (r.offline || r.refreshToken !== undefined)) {
      out.refresh_token = this.signer.sign({
        iss: this.issuer, sub: user, aud: `${this.service}#refresh`, iat: now, nbf: now, exp: now + REFRESH_LIFETIME_SECONDS, jti: randomUUID(),
      });
    }
    return out;
  }

  /** The user behind the request; undefined = anonymous. Wrong credentials: UNAUTHORIZED. */
  private async authenticate(r: TokenRequest): Promise<string | undefined> {
    if (r.refreshToken !== undefined) {
      const claims = this.signer.verify(r.refreshToken, { iss: this.issuer, aud: `${this.service}#refresh` });
      if (!claims || !claims.sub) throw new RegistryError('UNAUTHORIZED', { message: 'invalid refresh token' });
      return claims.sub;
    }
    if (r.user === undefined) return undefined;
    if (this.htpasswd === undefined) return r.user;
    if (await this.htpasswd.verify(r.user, r.password ?? '')) return r.user;
    throw new RegistryError('UNAUTHORIZED', { message: 'invalid username or password', headers: { 'WWW-Authenticate': 'Basic realm="berth-registry-token"' } });
  }
}
