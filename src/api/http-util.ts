// Request decoding and response encoding helpers shared by the handlers.
import type * as http from 'node:http';
import { InvalidArgumentError } from '../errors';

/** Docker's httputils.BoolValue: "", 0, no, false, none are false; anything else is true. */
export function queryBool(query: URLSearchParams, key: string, fallback = false): boolean {
  const raw = query.get(key);
  if (raw === null) return fallback;
  const v = raw.trim().toLowerCase();
  return !(v === '' || v === '0' || v === 'no' || v === 'false' || v === 'none');
}

/** Integer query parameter; undefined when absent or empty. */
export function queryInt(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw.trim() === '') return undefined;
  const v = raw.trim();
  if (!/^[-+]?[0-9]+$/.test(v)) throw new InvalidArgumentError(`invalid value for ${key}: strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number.parseInt(v, 10);
}

export function queryString(query: URLSearchParams, key: string): string | undefined {
  const raw = query.get(key);
  return raw === null || raw === '' ? undefined : raw;
}

const MAX_JSON_BODY = 16 * 1024 * 1024;

/** Bodies of upgraded requests, read off the raw socket before dispatch (node leaves them there). */
const upgradeBodies = new WeakMap<http.IncomingMessage, Buffer>();

export function setUpgradeBody(req: http.IncomingMessage, body: Buffer): void {
  upgradeBodies.set(req, body);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  if (req.headers.upgrade !== undefined) return upgradeBodies.get(req) ?? Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_JSON_BODY) throw new InvalidArgumentError('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Docker's httputils.ReadJSON: the content type must be JSON when given; an empty
 * body decodes to `undefined`; malformed JSON is a 400 "invalid JSON: ...".
 */
export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && type !== '') {
    const mime = type.split(';')[0].trim().toLowerCase();
    if (mime !== 'application/json') {
      throw new InvalidArgumentError(`unsupported Content-Type header (${type}): must be 'application/json'`);
    }
  }
  const body = await readBody(req);
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`invalid JSON: ${(err as Error).message}`);
  }
}

/** Like readJson but the body must be a JSON object (or empty). */
export async function readJsonObject(req: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const value = await readJson(req);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(`invalid JSON: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into an object`);
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendNoContent(res: http.ServerResponse, status = 204): void {
  res.writeHead(status);
  res.end();
}

/** Start a streaming response and push the headers out now (clients wait for them). */
export function startStream(res: http.ServerResponse, contentType: string, status = 200): void {
  res.writeHead(status, { 'Content-Type': contentType });
  res.flushHeaders();
}

/** Drain and discard a request body (so keep-alive connections stay usable). */
export function discardBody(req: http.IncomingMessage): void {
  req.resume();
}
