// Compact JWTs signed with node:crypto: ES256 for EC P-256 keys, RS256 for RSA keys. Only this
// registry checks its tokens, so the key pair can be generated at start-up when none is given.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  [key: string]: unknown;
}

const LEEWAY_SECONDS = 60;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class JwtSigner {
  readonly alg: 'ES256' | 'RS256';
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(keyFile?: string) {
    this.privateKey = keyFile ? createPrivateKey(fs.readFileSync(keyFile)) : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    this.publicKey = createPublicKey(this.privateKey);
    const type = this.privateKey.asymmetricKeyType;
    if (type === 'ec' && this.privateKey.asymmetricKeyDetails?.namedCurve === 'prime256v1') this.alg = 'ES256';
    else if (type === 'rsa') this.alg = 'RS256';
    else throw new Error(`token key: need an EC P-256 or RSA private key, got ${type}`);
    const spki = this.publicKey.export({ type: 'spki', format: 'der' });
    this.kid = createHash('sha256').update(spki).digest('base64url').slice(0, 32);
  }

  sign(claims: JwtClaims): string {
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: this.alg, kid: this.kid }));
    const body = b64url(JSON.stringify(claims));
    const input = `${head}.${body}`;
    const signature = this.alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: this.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), this.privateKey);
    return `${input}.${b64url(signature)}`;
  }

  /** The claims of a token this signer issued and that is valid now, else undefined. */
  verify(token: string, expect: { iss: string; aud: string }): JwtClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    let header: { alg?: string };
    let claims: JwtClaims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtClaims;
    } catch {
      return undefined;
    }
    if (header.alg !== this.alg) return undefined;
    const input = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], 'base64url');
    const ok = this.alg === 'ES256'
      ? verify('sha256', input, { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, signature)
      : verify('sha256', input, this.publicKey, signature);
    if (!ok) return undefined;
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== expect.iss || claims.aud !== expect.aud) return undefined;
    if (typeof claims.exp !== 'number' || claims.exp + LEEWAY_SECONDS < now) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf - LEEWAY_SECONDS > now) return undefined;
    return claims;
  }
}
