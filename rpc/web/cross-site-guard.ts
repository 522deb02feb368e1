// Refuses state-changing requests that a page of another site could have sent. Each POST must
// carry the per-daemon token (only our own pages, served behind the API's auth, know it) in a
// custom header, which a cross-site form cannot set and cross-site fetch cannot send without a
// CORS preflight that we never answer; Origin and Sec-Fetch-Site, when the browser sends them,
// must name this very site.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { crossSiteRefusal } from '../http/cross-site.js';
import type { HttpRequest } from '../http/router.js';

export const TOKEN_HEADER = 'x-supervisor-token';

/** One per daemon process: it outlives SIGHUP generations, so open pages keep working. */
export const DAEMON_TOKEN = randomBytes(24).toString('base64url');

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why the request is refused, or null when it comes from one of our own pages. */
export function webActionRefusal(request: HttpRequest, token: string = DAEMON_TOKEN): string | null {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const sent = request.headers[TOKEN_HEADER];
  if (typeof sent !== 'string' || !sameToken(sent, token)) return 'missing or wrong request token';
  return null;
}
