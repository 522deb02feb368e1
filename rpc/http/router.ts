// Which handler answers a request: routes are tried in the order they were added.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export type RouteMethod = 'GET' | 'POST';

export interface HttpRequest {
  method: RouteMethod;
  /** The path as sent, still percent-encoded: what routes match against. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The user that authenticated, or null on a server without credentials. */
  username: string | null;
  /** The whole body for POST (bounded by the server's limit); empty for GET. */
  body: Buffer;
  /** Fires 'close' when the client goes away: streaming handlers stop on it. */
  signal: AbortSignal;
}

export type RouteHandler = (request: HttpRequest, response: ServerResponse) => void | Promise<void>;

interface Route {
  method: RouteMethod;
  match: string | RegExp;
  handler: RouteHandler;
}

export type RouteLookup = { kind: 'found'; handler: RouteHandler } | { kind: 'wrong-method' } | { kind: 'not-found' };

export class Router {
  private readonly routes: Route[] = [];

  /** A string matches the path exactly; a RegExp is tested against the path. */
  add(method: RouteMethod, match: string | RegExp, handler: RouteHandler): void {
    this.routes.push({ method, match, handler });
  }

  lookup(method: string, path: string): RouteLookup {
    let pathKnown = false;
    for (const route of this.routes) {
      const matches = typeof route.match === 'string' ? route.match === path : route.match.test(path);
      if (!matches) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler };
      pathKnown = true;
    }
    return pathKnown ? { kind: 'wrong-method' } : { kind: 'not-found' };
  }
}
