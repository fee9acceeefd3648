// Forward the signals the CLI receives to the container (docker run/start's sig-proxy).
import type { CommandContext } from '../command';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM'];

export function proxySignals(ctx: CommandContext, id: string): () => void {
  const handlers = FORWARDED.map((sig) => {
    const handler = () => {
      ctx.client().containers.kill(id, sig).catch(() => undefined);
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  };
}
