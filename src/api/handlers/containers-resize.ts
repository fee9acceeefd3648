// POST /containers/{name}/resize?h=&w=: the container's terminal size.
import type { RequestContext } from '../context';
import { InvalidArgumentError } from '../../errors';

export function parseResizeQuery(query: URLSearchParams): { height: number; width: number } {
  const parse = (key: string): number => {
    const raw = query.get(key) ?? '';
    if (!/^\d+$/.test(raw)) throw new InvalidArgumentError(`strconv.Atoi: parsing "${raw}": invalid syntax`);
    return Number.parseInt(raw, 10);
  };
  return { height: parse('h'), width: parse('w') };
}

export function resizeContainer(ctx: RequestContext): void {
  const { height, width } = parseResizeQuery(ctx.query);
  ctx.backend.containers.resize(ctx.params.name, height, width);
  ctx.res.writeHead(200).end();
}
