// berth login [OPTIONS] [SERVER] and berth logout [SERVER]: the daemon checks the
// credentials (POST /auth); they are kept in Docker's config.json.
import type { CommandContext, CommandDef } from '../command';
import { CliError, UsageError } from '../errors';
import { DOCKER_HUB_KEY, eraseCredentials, loadCredentials, serverKey, storeCredentials } from '../credentials';

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from a terminal; with `hidden` the typed characters are not echoed. */
function promptLine(ctx: CommandContext, question: string, hidden: boolean): Promise<string> {
  ctx.out(question);
  const stdin = ctx.stdin;
  return new Promise((resolve) => {
    let line = '';
    if (hidden) stdin.setRawMode(true);
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.off('data', onData);
          if (hidden) { stdin.setRawMode(false); ctx.out('\n'); }
          stdin.pause();
          resolve(line);
          return;
        }
        if (ch === '\x03') process.exit(130);
        if (ch === '\x7f') line = line.slice(0, -1); else line += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

export const login: CommandDef = {
  usage: '[OPTIONS] [SERVER]',
  short: 'Authenticate to a registry',
  args: { max: 1 },
  flags: [
    { name: 'password', short: 'p', kind: 'string', usage: 'Password or Personal Access Token (PAT)' },
    { name: 'password-stdin', kind: 'bool', usage: 'Take the Password or Personal Access Token (PAT) from stdin' },
    { name: 'username', short: 'u', kind: 'string', usage: 'Username' },
  ],
  async run(ctx, flags, args) {
    let username = flags.string('username').trim();
    let password = flags.string('password');
    if (password && flags.bool('password-stdin')) throw new UsageError('--password and --password-stdin are mutually exclusive', 1);
    if (flags.bool('password-stdin')) {
      if (!username) throw new UsageError('Must provide --username with --password-stdin', 1);
      password = (await readAll(ctx.stdin)).replace(/[\r\n]+$/, '');
    } else if (password) {
      ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    }
    const key = serverKey(args[0]);
    const client = ctx.client();
    if (!username && !password) {
      const stored = loadCredentials(key);
      if (stored) {
        try {
          await client.system.login({ ...stored, serveraddress: key });
          ctx.out('Login Succeeded\n');
          return;
        } catch { /* stored credentials refused: ask for new ones */ }
      }
    }
    if (!username || !password) {
      if (!ctx.stdin.isTTY) throw new CliError('Error: Cannot perform an interactive login from a non TTY device', 1);
      if (!username) username = (await promptLine(ctx, key === DOCKER_HUB_KEY ? 'Username: ' : `Username: `, false)).trim();
      if (!username) throw new CliError('Error: Non-null Username Required', 1);
      if (!password) password = await promptLine(ctx, 'Password: ', true);
      if (!password) throw new CliError('Error: Password Required', 1);
    }
    const result = await client.system.login({ username, password, serveraddress: key });
    storeCredentials(key, result.IdentityToken ? { username, identitytoken: result.IdentityToken } : { username, password });
    ctx.out(`${result.Status || 'Login Succeeded'}\n`);
  },
};

export const logout: CommandDef = {
  usage: '[SERVER]',
  short: 'Log out from a registry',
  args: { max: 1 },
  flags: [],
  async run(ctx, _flags, args) {
    const key = serverKey(args[0]);
    if (!eraseCredentials(key)) {
      ctx.out(`Not logged in to ${key}\n`);
      return;
    }
    ctx.out(`Removing login credentials for ${key}\n`);
  },
};
