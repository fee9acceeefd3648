// What pull, push and run share: credentials for a reference's registry and the
// progress display (bars on a terminal, plain status lines otherwise).
import type { IncomingMessage } from 'node:http';
import { encodeRegistryAuth } from '../../client';
import type { CommandContext } from '../command';
import { loadCredentials, referenceDomain, serverKey } from '../credentials';
import { displayJsonMessages, type DisplayOptions } from '../format/json-messages';
import { displayJsonMessagesTty } from '../format/progress-tty';

/** The encoded X-Registry-Auth for the registry of `ref` (empty credentials when not logged in). */
export function registryAuthFor(ref: string): string {
  const key = serverKey(referenceDomain(ref));
  return encodeRegistryAuth(loadCredentials(key) ?? {});
}

export async function showProgress(ctx: CommandContext, res: IncomingMessage, quiet: boolean, options: DisplayOptions = {}): Promise<void> {
  if (quiet) { await displayJsonMessages(res, () => undefined, options); return; }
  if (ctx.stdout.isTTY) await displayJsonMessagesTty(res, (t) => ctx.out(t), options);
  else await displayJsonMessages(res, (t) => ctx.out(t), options);
}

/** Docker's printed reference after a pull: docker.io/library/busybox:latest. */
export function fullReference(ref: string): string {
  const domain = referenceDomain(ref);
  if (domain !== 'docker.io' || ref.startsWith('docker.io/')) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** Splits NAME[:TAG|@DIGEST]; the tag is undefined when none is given. */
export function splitReference(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), digest: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref };
}
