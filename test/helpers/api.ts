// Raw Engine API requests over the daemon's unix socket, for assertions the CLIs hide
// (status codes, headers, exact JSON bodies).
import * as http from 'node:http';

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export interface ApiRequestOptions {
  body?: unknown; // objects are sent as JSON; Buffers and strings as they are
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function apiRequest(socketPath: string, method: string, urlPath: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    let payload: Buffer | undefined;
    if (Buffer.isBuffer(options.body)) payload = options.body;
    else if (typeof options.body === 'string') payload = Buffer.from(options.body);
    else if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['Content-Type'] ??= 'application/json';
    }
    if (payload) headers['Content-Length'] = String(payload.length);
    const req = http.request({ socketPath, method, path: urlPath, headers, timeout: options.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls GET /_ping until it answers 200 OK, the deadline passes, or `alive()` turns false. */
export async function waitForPing(socketPath: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('berthd exited before answering /_ping');
    try {
      const res = await apiRequest(socketPath, 'GET', '/_ping', { timeoutMs: 2000 });
      if (res.status === 200 && res.text === 'OK') return;
      last = `status ${res.status}: ${res.text.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`berthd did not answer /_ping within ${timeoutMs} ms (${last})`);
}
