// Client-side errors. ApiError carries what the daemon answered (status + its
// {"message"}); ConnectionError means no daemon answered at all.

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
  get isNotFound(): boolean { return this.status === 404; }
  get isConflict(): boolean { return this.status === 409; }
  get isNotModified(): boolean { return this.status === 304; }
}

export class ConnectionError extends Error {
  readonly host: string;
  readonly code: string | undefined;
  constructor(host: string, cause: unknown) {
    super(`Cannot connect to the Berth daemon at ${host}. Is berthd running?`, { cause });
    this.name = 'ConnectionError';
    this.host = host;
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** Docker's wire form of an error body is {"message": "..."}; older daemons sent plain text. */
export function errorFromBody(status: number, body: Buffer, contentType: string | undefined): ApiError {
  const text = body.toString('utf8');
  if (contentType?.includes('json') || text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') return new ApiError(status, parsed.message);
    } catch {
      // fall through to the raw text
    }
  }
  const trimmed = text.trim();
  return new ApiError(status, trimmed || `request returned ${status} with an empty body`);
}
