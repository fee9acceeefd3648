// Docker's confirmation prompt: "<message> [y/N] ", true only for an answer of y/Y.
import type { CommandContext } from '../command';

export function confirm(ctx: CommandContext, message: string): Promise<boolean> {
  ctx.out(`${message} [y/N] `);
  return new Promise((resolve) => {
    const stdin = ctx.stdin;
    let buffered = '';
    const done = (answer: boolean) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl >= 0) done(buffered.slice(0, nl).trim().toLowerCase() === 'y');
    };
    const onEnd = () => done(buffered.trim().toLowerCase() === 'y');
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.resume();
  });
}
