// The one place where engine errors become HTTP statuses. 304 carries no body;
// everything else is Docker's {"message": "..."} JSON.
import type * as http from 'node:http';
import { isBerthError, errorMessage, type ErrorKind } from '../errors';
import { log } from '../util/logger';

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  'invalid-argument': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'not-modified': 304,
  'not-implemented': 501,
  unavailable: 503,
  internal: 500,
};

export function statusOf(err: unknown): number {
  return isBerthError(err) ? STATUS_BY_KIND[err.kind] : 500;
}

/** Write an error response, or abort the stream if the headers already went out. */
export function sendError(res: http.ServerResponse, err: unknown): void {
  const status = statusOf(err);
  if (status === 500) log.error('request failed', { error: errorMessage(err), stack: err instanceof Error ? err.stack : undefined });
  if (res.headersSent) {
    // Mid-stream: the status is gone; cutting the connection is the only honest signal.
    res.destroy();
    return;
  }
  if (status === 304) {
    res.writeHead(304);
    res.end();
    return;
  }
  const body = JSON.stringify({ message: errorMessage(err) }) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
