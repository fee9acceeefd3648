// One error hierarchy for the whole engine. Components throw these; only the
// API edge (src/api/errors.ts) turns a kind into an HTTP status.

export type ErrorKind =
  | 'invalid-argument' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // 409
  | 'not-modified' // 304
  | 'not-implemented' // 501
  | 'unavailable' // 503
  | 'internal'; // 500

export class BerthError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends BerthError {
  constructor(message: string, options?: { cause?: unknown }) { super('invalid-argument', message, options); }
}
export class UnauthorizedError extends BerthError {
  constructor(message: string) { super('unauthorized', message); }
}
export class ForbiddenError extends BerthError {
  constructor(message: string) { super('forbidden', message); }
}
export class NotFoundError extends BerthError {
  constructor(message: string) { super('not-found', message); }
}
export class ConflictError extends BerthError {
  constructor(message: string) { super('conflict', message); }
}
/** Docker answers 304 for no-op transitions (start a running container, stop a stopped one). */
export class NotModifiedError extends BerthError {
  constructor(message = '') { super('not-modified', message); }
}
export class NotImplementedError extends BerthError {
  constructor(message: string) { super('not-implemented', message); }
}
export class UnavailableError extends BerthError {
  constructor(message: string) { super('unavailable', message); }
}
export class InternalError extends BerthError {
  constructor(message: string, options?: { cause?: unknown }) { super('internal', message, options); }
}

export function isBerthError(err: unknown): err is BerthError {
  return err instanceof BerthError;
}

/** Message of any thrown value, for logs and wrapped errors. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Rebuilds an error that crossed a thread boundary as { kind, message }. */
export function errorOfKind(kind: ErrorKind, message: string): BerthError {
  switch (kind) {
    case 'invalid-argument': return new InvalidArgumentError(message);
    case 'unauthorized': return new UnauthorizedError(message);
    case 'forbidden': return new ForbiddenError(message);
    case 'not-found': return new NotFoundError(message);
    case 'conflict': return new ConflictError(message);
    case 'not-modified': return new NotModifiedError(message);
    case 'not-implemented': return new NotImplementedError(message);
    case 'unavailable': return new UnavailableError(message);
    default: return new InternalError(message);
  }
}
