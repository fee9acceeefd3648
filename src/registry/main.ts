// bin/berth-registry: `berth-registry [serve] [FLAGS]` or `berth-registry gc [FLAGS]`.
import { FlagError, parseFlags, withHelp, type FlagDef } from '../cli/flags';
import { GC_FLAGS, SERVE_FLAGS } from './flags';
import { runGc, runServe } from './commands';

function help(cmd: string, defs: FlagDef[]): string {
  const lines = defs.filter((d) => !d.hidden).map((d) => {
    const name = d.short ? `-${d.short}, --${d.name}` : `    --${d.name}`;
    const def = d.default !== undefined && d.default !== false ? ` (default ${JSON.stringify(d.default)})` : '';
    return `  ${name.padEnd(24)} ${d.usage}${def}`;
  });
  return `Usage:  berth-registry ${cmd} [OPTIONS]\n\nOptions:\n${lines.join('\n')}\n`;
}

export function main(argv: string[]): void {
  const cmd = argv[0] === 'gc' || argv[0] === 'serve' ? argv[0] : 'serve';
  const rest = argv[0] === cmd ? argv.slice(1) : argv;
  const defs = cmd === 'gc' ? GC_FLAGS : SERVE_FLAGS;
  let parsed;
  try {
    parsed = parseFlags(withHelp(defs), rest);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`berth-registry: ${err.message}\n`);
    process.exit(125);
  }
  if (parsed.help) {
    process.stdout.write(help(cmd, defs));
    return;
  }
  if (parsed.args.length) {
    process.stderr.write(`berth-registry: unexpected argument ${JSON.stringify(parsed.args[0])}\n`);
    process.exit(1);
  }
  const out = (text: string) => process.stdout.write(text);
  (cmd === 'gc' ? runGc(parsed.flags, out) : runServe(parsed.flags, out)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`berth-registry: ${err.message}\n`);
      process.exit(1);
    },
  );
}
