// GET/POST /token: the built-in token endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from '../errors';
import { TokenIssuer } from '../auth/token-issuer';
import { readLimited } from './body';
import { sendJson } from './respond';

export async function handleTokenRequest(req: IncomingMessage, res: ServerResponse, url: URL, issuer: TokenIssuer): Promise<void> {
  let params = url.searchParams;
  if (req.method === 'POST') {
    params = new URLSearchParams((await readLimited(req, 64 * 1024)).toString('utf8'));
  } else if (req.method !== 'GET') {
    throw new RegistryError('UNSUPPORTED', { message: `${req.method} is not supported here`, headers: { Allow: 'GET, POST' } });
  }
  const answer = await issuer.issue(TokenIssuer.requestFrom(req, params));
  sendJson(res, 200, answer, { 'Cache-Control': 'no-store' });
}
