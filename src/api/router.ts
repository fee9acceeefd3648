// Route table matcher. Patterns use Docker's (gorilla mux) syntax: "{name}" is one
// path segment, "{name:.*}" may span slashes (image names contain them). Routes are
// tried in order, so literal routes go before the catch-all ones.
import type { Handler } from './context';

export interface Route {
  method: string;
  path: string;
  handler: Handler;
}

interface CompiledRoute {
  method: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  let source = '';
  let rest = route.path;
  const placeholder = /\{([a-zA-Z]+)(:\.\*)?\}/;
  for (;;) {
    const m = placeholder.exec(rest);
    if (!m) {
      source += escapeRegex(rest);
      break;
    }
    source += escapeRegex(rest.slice(0, m.index));
    names.push(m[1]);
    source += m[2] ? '(.+)' : '([^/]+)';
    rest = rest.slice(m.index + m[0].length);
  }
  return { method: route.method, regex: new RegExp(`^${source}/?$`), names, handler: route.handler };
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map(compile);
  }

  /** Docker answers a known path with the wrong method like an unknown one (404). */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
      } catch {
        return undefined; // malformed percent-encoding: no route can match it
      }
      return { handler: route.handler, params };
    }
    return undefined;
  }
}
