// The error codes of the OCI Distribution Spec (1.1, "Error Codes") with the HTTP status
// each is sent with (the statuses the CNCF distribution registry uses, which clients expect).

export type RegistryErrorCode =
  | 'BLOB_UNKNOWN' | 'BLOB_UPLOAD_INVALID' | 'BLOB_UPLOAD_UNKNOWN' | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN' | 'MANIFEST_INVALID' | 'MANIFEST_UNKNOWN' | 'NAME_INVALID'
  | 'NAME_UNKNOWN' | 'SIZE_INVALID' | 'UNAUTHORIZED' | 'DENIED' | 'UNSUPPORTED' | 'TOOMANYREQUESTS';

const DEFAULTS: Record<RegistryErrorCode, { status: number; message: string }> = {
  BLOB_UNKNOWN: { status: 404, message: 'blob unknown to registry' },
  BLOB_UPLOAD_INVALID: { status: 400, message: 'blob upload invalid' },
  BLOB_UPLOAD_UNKNOWN: { status: 404, message: 'blob upload unknown to registry' },
  DIGEST_INVALID: { status: 400, message: 'provided digest did not match uploaded content' },
  MANIFEST_BLOB_UNKNOWN: { status: 400, message: 'manifest references a manifest or blob unknown to registry' },
  MANIFEST_INVALID: { status: 400, message: 'manifest invalid' },
  MANIFEST_UNKNOWN: { status: 404, message: 'manifest unknown to registry' },
  NAME_INVALID: { status: 400, message: 'invalid repository name' },
  NAME_UNKNOWN: { status: 404, message: 'repository name not known to registry' },
  SIZE_INVALID: { status: 400, message: 'provided length did not match content length' },
  UNAUTHORIZED: { status: 401, message: 'authentication required' },
  DENIED: { status: 403, message: 'requested access to the resource is denied' },
  UNSUPPORTED: { status: 405, message: 'the operation is unsupported' },
  TOOMANYREQUESTS: { status: 429, message: 'too many requests' },
};

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly status: number;
  readonly detail: unknown;
  /** Further errors of the same response (a manifest missing several blobs). */
  readonly more: RegistryError[];
  /** Extra response headers (WWW-Authenticate, Retry-After, Allow...). */
  readonly headers: Record<string, string>;

  constructor(code: RegistryErrorCode, options: { message?: string; detail?: unknown; status?: number; more?: RegistryError[]; headers?: Record<string, string> } = {}) {
    super(options.message ?? DEFAULTS[code].message);
    this.name = 'RegistryError';
    this.code = code;
    this.status = options.status ?? DEFAULTS[code].status;
    this.detail = options.detail;
    this.more = options.more ?? [];
    this.headers = options.headers ?? {};
  }

  /** The body every error response carries. */
  toBody(): { errors: Array<{ code: string; message: string; detail?: unknown }> } {
    return { errors: [this, ...this.more].map((e) => (e.detail === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, detail: e.detail })) };
  }
}

/** Shorthand: `fail('BLOB_UNKNOWN', { detail: { digest } })`. */
export function regError(code: RegistryErrorCode, detail?: unknown, message?: string): RegistryError {
  return new RegistryError(code, { detail, message });
}

/** A Range/Content-Range that does not line up: 416, with the spec's upload error code. */
export function rangeError(detail: unknown): RegistryError {
  return new RegistryError('BLOB_UPLOAD_INVALID', { status: 416, message: 'requested range not satisfiable', detail });
}
