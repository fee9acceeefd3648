// Response helpers: the headers every response carries, JSON bodies, and spec-shaped errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from '../errors';

export const API_VERSION_HEADER = { 'Docker-Distribution-API-Version': 'registry/2.0' };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...API_VERSION_HEADER, 'Content-Type': 'application/json', 'Content-Length': String(data.length), ...headers });
  res.end(data);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...API_VERSION_HEADER, 'Content-Length': '0', ...headers });
  res.end();
}

/** Did the client send (or is it still sending) a body? */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** Content-Length as a number; undefined when absent; SIZE_INVALID when malformed. */
export function contentLength(req: IncomingMessage): number | undefined {
  const text = req.headers['content-length'];
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new RegistryError('SIZE_INVALID', { detail: { contentLength: text } });
  return Number(text);
}

/** Answer with `err` (a RegistryError, or a 500 for anything unexpected). */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    // Mid-body failure: the only honest signal left is cutting the connection.
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  const e = err instanceof RegistryError
    ? err
    : new RegistryError('UNSUPPORTED', { status: 500, message: 'internal server error', detail: { error: (err as Error)?.message ?? String(err) } });
  const headers: Record<string, string> = { ...e.headers };
  // A request body we did not read would otherwise be drained byte by byte to keep the
  // connection alive; for a rejected upload that can be gigabytes.
  if (!req.complete) headers.Connection = 'close';
  sendJson(res, e.status, e.toBody(), headers);
}
