// Registry error responses ({"errors":[{code,message,detail}]}) turned into the
// engine's error kinds, with distribution's texts ("unauthorized: authentication
// required", "manifest unknown: manifest unknown").
import type { IncomingMessage } from 'node:http';
import { BerthError, ForbiddenError, InternalError, NotFoundError, UnauthorizedError, UnavailableError } from '../errors';

interface RegistryErrorBody { errors?: Array<{ code?: string; message?: string; detail?: unknown }> }

const MAX_ERROR_BODY = 64 << 10;

export async function readLimited(res: IncomingMessage, limit = MAX_ERROR_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(chunk.subarray(0, limit - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks);
}

/** distribution's errcode text: lowercased code with spaces, then the message. */
export function describeRegistryErrors(body: Buffer): string | undefined {
  let parsed: RegistryErrorBody;
  try { parsed = JSON.parse(body.toString('utf8')) as RegistryErrorBody; } catch { return undefined; }
  const errors = parsed.errors ?? [];
  if (errors.length === 0) return undefined;
  const texts = errors.map((e) => `${(e.code ?? 'unknown').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`);
  return texts.length === 1 ? texts[0] : `errors:\n${texts.join('\n')}\n`;
}

export function errorForStatus(status: number, message: string): BerthError {
  if (status === 401) return new UnauthorizedError(message);
  if (status === 403) return new ForbiddenError(message);
  if (status === 404) return new NotFoundError(message);
  if (status === 429 || status >= 502) return new UnavailableError(message);
  return new InternalError(message);
}

/** Reads an unexpected response and throws the matching engine error. */
export async function unexpectedResponse(res: IncomingMessage, what: string): Promise<never> {
  const body = await readLimited(res).catch(() => Buffer.alloc(0));
  const status = res.statusCode ?? 0;
  const described = describeRegistryErrors(body);
  const text = described ?? (status === 401 ? 'unauthorized: authentication required' : `unexpected status from ${what}: ${status} ${res.statusMessage ?? ''}`.trim());
  throw errorForStatus(status, text);
}
