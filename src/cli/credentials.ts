// Registry credentials in Docker's config.json ($DOCKER_CONFIG/config.json, else
// ~/.docker/config.json): "auths": { "<server>": { "auth": base64(user:pass) } }
// (or "identitytoken"), or in a credential helper named by "credHelpers" (per
// registry host) or "credsStore" (all registries), which then keeps an empty
// "auths" entry per server, as the docker CLI does. Same file, format and helpers
// as the docker CLI, so a login with either tool works for both. Other keys of
// the file are kept as they are.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RegistryAuth } from '../client';
import { helperErase, helperGet, helperList, helperStore } from './credential-helper';
import { CliError } from './errors';

export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

interface AuthEntry { auth?: string; identitytoken?: string; username?: string; password?: string; email?: string }
interface ConfigFile { auths?: Record<string, AuthEntry>; credsStore?: string; credHelpers?: Record<string, string>; [key: string]: unknown }

export function configDir(): string {
  return process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

export function configPath(): string {
  return path.join(configDir(), 'config.json');
}

function readConfig(): ConfigFile {
  let text: string;
  try { text = fs.readFileSync(configPath(), 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  if (text.trim() === '') return {};
  try { return JSON.parse(text) as ConfigFile; } catch (err) {
    throw new CliError(`loading config file: ${configPath()}: ${(err as Error).message}`, 1);
  }
}

function writeConfig(config: ConfigFile): void {
  fs.mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  const tmp = `${configPath()}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(config, null, '\t'), { mode: 0o600 });
  fs.renameSync(tmp, configPath());
}

/** Docker's ConvertToHostname: drop the scheme and any path. */
export function toHostname(server: string): string {
  return server.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** The config.json key for a registry domain or login server argument. */
export function serverKey(server: string | undefined): string {
  if (!server) return DOCKER_HUB_KEY;
  const host = toHostname(server);
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') return DOCKER_HUB_KEY;
  return host;
}

/** The registry domain of an image reference (Docker's splitDockerDomain). */
export function referenceDomain(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = ref.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase() ? first : 'docker.io';
}

/** The helper that keeps `key`'s credentials: credHelpers by host first, then credsStore. */
function helperFor(config: ConfigFile, key: string): string | undefined {
  return config.credHelpers?.[toHostname(key)] ?? config.credHelpers?.[key] ?? (config.credsStore || undefined);
}

export function loadCredentials(key: string): RegistryAuth | undefined {
  const config = readConfig();
  const helper = helperFor(config, key);
  if (helper) {
    const creds = helperGet(helper, key);
    return creds ? { serveraddress: key, ...creds } : undefined;
  }
  const auths = config.auths ?? {};
  const entry = auths[key] ?? Object.entries(auths).find(([k]) => serverKey(k) === key)?.[1];
  return entry ? toRegistryAuth(key, entry) : undefined;
}

/** Every stored login by server address (what the docker CLI sends a build as X-Registry-Config). */
export function allCredentials(): Record<string, RegistryAuth> {
  const config = readConfig();
  const servers = new Set([...Object.keys(config.auths ?? {}), ...Object.keys(config.credHelpers ?? {})]);
  if (config.credsStore) for (const s of helperList(config.credsStore)) servers.add(s);
  const out: Record<string, RegistryAuth> = {};
  for (const server of servers) {
    const helper = helperFor(config, server);
    const auth = helper ? loadCredentials(server) : toRegistryAuth(server, config.auths?.[server] ?? {});
    if (auth) out[server] = auth;
  }
  return out;
}

function toRegistryAuth(key: string, entry: AuthEntry): RegistryAuth | undefined {
  const out: RegistryAuth = { serveraddress: key };
  if (entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon < 0) throw new CliError(`invalid auth configuration file: ${configPath()}`, 1);
    out.username = plain.slice(0, colon);
    out.password = plain.slice(colon + 1);
  } else if (entry.username) {
    out.username = entry.username;
    out.password = entry.password;
  }
  if (entry.identitytoken) out.identitytoken = entry.identitytoken;
  return out.username || out.identitytoken ? out : undefined;
}

export function storeCredentials(key: string, auth: { username: string; password?: string; identitytoken?: string }): void {
  const config = readConfig();
  const helper = helperFor(config, key);
  if (helper) {
    helperStore(helper, key, auth);
    config.auths = { ...(config.auths ?? {}), [key]: {} };
    writeConfig(config);
    return;
  }
  const entry: AuthEntry = auth.identitytoken
    ? { auth: Buffer.from(`${auth.username}:`).toString('base64'), identitytoken: auth.identitytoken }
    : { auth: Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64') };
  config.auths = { ...(config.auths ?? {}), [key]: entry };
  writeConfig(config);
}

/** Removes a server's entry; false when there was none. */
export function eraseCredentials(key: string): boolean {
  const config = readConfig();
  const auths = config.auths ?? {};
  const names = Object.keys(auths).filter((k) => k === key || serverKey(k) === key);
  if (names.length === 0) return false; // as the docker CLI: a login always leaves an entry here
  const helper = helperFor(config, key);
  if (helper) helperErase(helper, key);
  for (const n of names) delete auths[n];
  config.auths = auths;
  writeConfig(config);
  return true;
}
