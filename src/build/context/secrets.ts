// Build secrets over the legacy /build API, which has no field for them: the
// client lists the secret IDs in the `secrets` query parameter (a Berth
// extension) and sends each one as a context tar entry `.berth-secrets/<id>`.
// The daemon moves those files out of the context before anything reads it, so
// no COPY, .dockerignore or cache key ever sees them; they live in the build's
// scratch directory and are deleted with it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';

export const SECRETS_DIR_IN_CONTEXT = '.berth-secrets';

const VALID_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function validSecretId(id: string): boolean {
  return VALID_ID.test(id);
}

/** Moves the listed secrets from the extracted context into `secretsDir`; the carrier directory goes away. */
export function takeSecrets(contextDir: string, ids: string[], secretsDir: string): void {
  if (ids.length === 0) return;
  const carrier = path.join(contextDir, SECRETS_DIR_IN_CONTEXT);
  fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  try {
    for (const id of ids) {
      if (!validSecretId(id)) throw new InvalidArgumentError(`invalid secret id "${id}"`);
      const src = path.join(carrier, id);
      const st = fs.lstatSync(src, { throwIfNoEntry: false });
      if (!st?.isFile()) throw new InvalidArgumentError(`secret ${id}: not sent with the build context`);
      fs.renameSync(src, path.join(secretsDir, id));
      fs.chmodSync(path.join(secretsDir, id), 0o400);
    }
  } finally {
    fs.rmSync(carrier, { recursive: true, force: true });
  }
}
