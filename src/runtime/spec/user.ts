// Resolve Docker's User field ("name|uid[:group|gid]") through the container's own
// /etc/passwd and /etc/group, like runc's GetExecUser: numeric IDs need no entry,
// names must exist, and supplementary groups come from group membership.
import { readFileSync } from 'node:fs';
import { InternalError } from '../../errors';
import { secureJoin } from './secure-join';

export interface ExecUser {
  uid: number;
  gid: number;
  home: string;
  additionalGids: number[];
}

interface PasswdEntry { name: string; uid: number; gid: number; home: string }
interface GroupEntry { name: string; gid: number; members: string[] }

const MAX_ID = 2147483647;

function readRootFile(rootfs: string, file: string): string | undefined {
  try { return readFileSync(secureJoin(rootfs, file), 'utf8'); } catch { return undefined; }
}

function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(':');
    if (f.length < 4 || f[0] === '' || f[0].startsWith('#')) continue;
    out.push({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '' });
  }
  return out;
}

function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(':');
    if (f.length < 3 || f[0] === '' || f[0].startsWith('#')) continue;
    out.push({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) });
  }
  return out;
}

function numericId(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  if (n > MAX_ID) throw new InternalError(`uids and gids must be in range 0-${MAX_ID}`);
  return n;
}

/** `groupAdd` are HostConfig.GroupAdd entries (names or numbers). */
export function resolveUser(rootfs: string, spec: string, groupAdd: string[] = []): ExecUser {
  const [userArg, groupArg] = splitUser(spec);
  const passwdText = readRootFile(rootfs, '/etc/passwd');
  const groupText = readRootFile(rootfs, '/etc/group');
  const users = passwdText ? parsePasswd(passwdText) : [];
  const groups = groupText ? parseGroup(groupText) : [];

  const result: ExecUser = { uid: 0, gid: 0, home: '/', additionalGids: [] };
  const uidNum = numericId(userArg);
  const entry = users.find((u) => u.name === userArg || (uidNum !== undefined && u.uid === uidNum));
  if (entry) {
    result.uid = entry.uid; result.gid = entry.gid; result.home = entry.home || '/';
  } else if (uidNum !== undefined) {
    result.uid = uidNum;
  } else {
    throw new InternalError(`unable to find user ${userArg}: no matching entries in passwd file`);
  }

  if (groupArg !== undefined) {
    const gidNum = numericId(groupArg);
    const g = groups.find((x) => x.name === groupArg || (gidNum !== undefined && x.gid === gidNum));
    if (g) result.gid = g.gid;
    else if (gidNum !== undefined) result.gid = gidNum;
    else throw new InternalError(`unable to find group ${groupArg}: no matching entries in group file`);
  }

  // Supplementary groups: the primary gid, then memberships (only when no group was forced), then GroupAdd.
  const gids: number[] = [result.gid];
  if (groupArg === undefined && entry) {
    for (const g of groups) if (g.members.includes(entry.name)) gids.push(g.gid);
  }
  for (const extra of groupAdd) {
    const n = numericId(extra);
    const g = groups.find((x) => x.name === extra || (n !== undefined && x.gid === n));
    if (g) gids.push(g.gid);
    else if (n !== undefined) gids.push(n);
    else throw new InternalError(`unable to find group ${extra}: no matching entries in group file`);
  }
  result.additionalGids = [...new Set(gids)];
  return result;
}

function splitUser(spec: string): [string, string | undefined] {
  if (spec === '') return ['0', undefined];
  const i = spec.indexOf(':');
  if (i < 0) return [spec, undefined];
  const user = spec.slice(0, i) || '0';
  const group = spec.slice(i + 1);
  return [user, group === '' ? undefined : group];
}
