// A scriptable fake Engine API server on a temp unix socket, for testing the client
// and the CLI before (and independently of) the real daemon.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';

export interface FakeRequest {
  method: string;
  path: string; // without the /vX.Y prefix
  version: string | undefined;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: FakeRequest, res: http.ServerResponse) => void | Promise<void>;
export type UpgradeHandler = (req: FakeRequest, socket: Duplex) => void;

export interface FakeDaemon {
  host: string;
  dir: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export interface FakeOptions {
  routes: Record<string, Handler>; // "GET /containers/json" (path may end with * for a prefix)
  upgrades?: Record<string, UpgradeHandler>;
  maxVersion?: string;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Api-Version': '1.45' });
  res.end(JSON.stringify(body));
}

export function frame(stream: 1 | 2, text: string): Buffer {
  const data = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

function split(url: string): { version: string | undefined; path: string; query: URLSearchParams } {
  const u = new URL(url, 'http://x');
  const m = /^\/v([0-9.]+)(\/.*)$/.exec(u.pathname);
  return { version: m?.[1], path: m ? m[2] : u.pathname, query: u.searchParams };
}

function find<T>(table: Record<string, T>, method: string, p: string): T | undefined {
  const exact = table[`${method} ${p}`];
  if (exact) return exact;
  for (const [key, value] of Object.entries(table)) {
    const [m, pattern] = key.split(' ');
    if (m === method && pattern.endsWith('*') && p.startsWith(pattern.slice(0, -1))) return value;
  }
  return undefined;
}

function tooNew(version: string | undefined, max: string | undefined): boolean {
  if (!version || !max) return false;
  const [a, b] = [version, max].map((v) => v.split('.').map(Number));
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

export async function startFakeDaemon(options: FakeOptions): Promise<FakeDaemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-fake-'));
  const socketPath = path.join(dir, 'fake.sock');
  const requests: FakeRequest[] = [];
  const read = (req: http.IncomingMessage) => new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
  const server = http.createServer(async (req, res) => {
    const { version, path: p, query } = split(req.url ?? '/');
    const fake: FakeRequest = { method: req.method ?? 'GET', path: p, version, query, headers: req.headers, body: await read(req) };
    requests.push(fake);
    if (tooNew(version, options.maxVersion)) {
      sendJson(res, 400, { message: `client version ${version} is too new. Maximum supported API version is ${options.maxVersion}` });
      return;
    }
    const handler = find(options.routes, fake.method, p);
    if (!handler) {
      sendJson(res, 404, { message: `page not found: ${fake.method} ${p}` });
      return;
    }
    try {
      await handler(fake, res);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { message: String(err) });
    }
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    const { version, path: p, query } = split(req.url ?? '/');
    const fake: FakeRequest = { method: req.method ?? 'POST', path: p, version, query, headers: req.headers, body: Buffer.alloc(0) };
    requests.push(fake);
    const handler = find(options.upgrades ?? {}, fake.method, p);
    if (!handler) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n{"message":"no such"}');
      return;
    }
    socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    handler(fake, socket);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    host: `unix://${socketPath}`,
    dir,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
