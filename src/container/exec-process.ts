// The OCI process of an exec: the container's own process (from its bundle's config.json)
// with the exec's command, user, env, working dir, terminal and privileges.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildCapabilities, replaceOrAppendEnv, resolveUser, type OciProcess, type OciSpec } from '../runtime';
import type { Container } from './types';
import type { ExecCreateRequest } from './exec-types';

export function execProcess(c: Container, bundle: string, req: ExecCreateRequest): OciProcess {
  const spec = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as OciSpec;
  const base = spec.process;
  const tty = req.Tty === true;
  let user = base.user;
  if (req.User) {
    const u = resolveUser(spec.root.path, req.User, c.hostConfig.GroupAdd ?? []);
    user = { uid: u.uid, gid: u.gid, additionalGids: u.additionalGids };
  }
  const env = replaceOrAppendEnv(base.env, [...(tty ? ['TERM=xterm'] : []), ...(req.Env ?? [])]);
  const cwd = req.WorkingDir ? path.posix.resolve('/', base.cwd, req.WorkingDir) : base.cwd;
  const process: OciProcess = {
    terminal: tty,
    user,
    args: req.Cmd ?? [],
    env,
    cwd,
    capabilities: req.Privileged ? buildCapabilities(true, null, null) : base.capabilities,
    noNewPrivileges: base.noNewPrivileges,
  };
  if (base.rlimits) process.rlimits = base.rlimits;
  if (base.apparmorProfile) process.apparmorProfile = base.apparmorProfile;
  if (tty && req.ConsoleSize && req.ConsoleSize[0] > 0 && req.ConsoleSize[1] > 0) {
    process.consoleSize = { height: req.ConsoleSize[0], width: req.ConsoleSize[1] };
  }
  return process;
}
