// API version negotiation: the path prefix /v1.NN/ selects the version a request
// speaks; unversioned paths speak ours. Docker rejects versions outside
// [MinAPIVersion, ApiVersion] with 400 and these exact texts.
import { InvalidArgumentError } from '../errors';

export const API_VERSION = '1.45';
export const MIN_API_VERSION = '1.24';

/** Compare dotted versions numerically ("1.9" < "1.10"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function versionAtLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

const VERSIONED_PATH = /^\/v([0-9]+(?:\.[0-9]+)*)(\/.*)$/;

/** Split "/v1.41/containers/json" into its version and route path; validates the range. */
export function splitVersion(pathname: string): { version: string; path: string } {
  const m = VERSIONED_PATH.exec(pathname);
  if (!m) return { version: API_VERSION, path: pathname };
  const version = m[1];
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    throw new InvalidArgumentError(
      `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
  if (compareVersions(version, API_VERSION) > 0) {
    throw new InvalidArgumentError(`client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
  }
  return { version, path: m[2] };
}
