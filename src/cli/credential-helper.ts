// Docker's credential helper protocol: config.json's `credsStore` (every
// registry) or `credHelpers` (per registry host) name a program
// docker-credential-<name> on PATH, run as `<program> get|store|erase|list` with
// the server address or a {ServerURL, Username, Secret} JSON document on stdin.
// Identity tokens travel as Username "<token>".
import { spawnSync } from 'node:child_process';
import { CliError } from './errors';

const TOKEN_USERNAME = '<token>';
const NOT_FOUND = 'credentials not found in native keychain';

export interface HelperCredentials { username: string; password?: string; identitytoken?: string }

function run(helper: string, action: 'get' | 'store' | 'erase' | 'list', input: string): { ok: boolean; out: string } {
  const program = `docker-credential-${helper}`;
  const r = spawnSync(program, [action], { input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    const why = (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? `exec: "${program}": executable file not found in $PATH` : r.error.message;
    throw new CliError(`error ${action === 'get' || action === 'list' ? 'getting' : action === 'store' ? 'storing' : 'erasing'} credentials - err: ${why}, out: \`\``, 1);
  }
  return { ok: r.status === 0, out: (r.stdout ?? '').trim() };
}

function failure(action: string, out: string): CliError {
  return new CliError(`error ${action} credentials - err: exit status 1, out: \`${out}\``, 1);
}

/** The helper's credentials for `server`, or undefined when it has none. */
export function helperGet(helper: string, server: string): HelperCredentials | undefined {
  const { ok, out } = run(helper, 'get', server);
  if (!ok) {
    if (out.includes(NOT_FOUND)) return undefined;
    throw failure('getting', out);
  }
  let doc: { Username?: string; Secret?: string };
  try { doc = JSON.parse(out) as typeof doc; } catch { throw failure('getting', out); }
  if (!doc.Username && !doc.Secret) return undefined;
  if (doc.Username === TOKEN_USERNAME) return { username: '', identitytoken: doc.Secret ?? '' };
  return { username: doc.Username ?? '', password: doc.Secret ?? '' };
}

export function helperStore(helper: string, server: string, creds: HelperCredentials): void {
  const doc = creds.identitytoken
    ? { ServerURL: server, Username: TOKEN_USERNAME, Secret: creds.identitytoken }
    : { ServerURL: server, Username: creds.username, Secret: creds.password ?? '' };
  const { ok, out } = run(helper, 'store', JSON.stringify(doc));
  if (!ok) throw failure('storing', out);
}

/** Removes the helper's credentials for `server`; a server it does not know is not an error. */
export function helperErase(helper: string, server: string): void {
  const { ok, out } = run(helper, 'erase', server);
  if (!ok && !out.includes(NOT_FOUND)) throw failure('erasing', out);
}

/** Server addresses the helper holds credentials for. */
export function helperList(helper: string): string[] {
  const { ok, out } = run(helper, 'list', '');
  if (!ok) throw failure('listing', out);
  try { return Object.keys(JSON.parse(out || '{}') as Record<string, string>); } catch { throw failure('listing', out); }
}
