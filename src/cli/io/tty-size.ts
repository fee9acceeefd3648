// Keep the container's TTY the size of ours (docker's MonitorTtySize): once at
// start and on every terminal resize. Failures are ignored, as in Docker.
import type { CommandContext } from '../command';

export function monitorTtySize(ctx: CommandContext, id: string): () => void {
  const resize = () => {
    const { rows, columns } = ctx.stdout;
    if (rows && columns) ctx.client().containers.resize(id, rows, columns).catch(() => undefined);
  };
  resize();
  ctx.stdout.on('resize', resize);
  return () => { ctx.stdout.off('resize', resize); };
}
