// Whether a browser sent the request for a page of another site. Browsers say so in Origin and
// Sec-Fetch-Site, which a page cannot forge; programs (XML-RPC clients, supervisorctl, curl)
// send neither, so requests without them pass. A browser that holds the user's credentials
// would otherwise run another site's "simple" POST (text/plain needs no CORS preflight).
import type { HttpRequest } from './router.js';

/** The host:port a URL authority names, lowercased and without the scheme's default port. */
function authority(protocol: string, host: string): string | null {
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return null;
  }
}

/** Why the request is refused, or null when no browser says it came from another origin. */
export function crossSiteRefusal(request: HttpRequest): string | null {
  const { headers } = request;
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return `cross-site request refused (Sec-Fetch-Site: ${fetchSite})`;
  const origin = headers.origin;
  if (origin === undefined) return null;
  let url: URL | null = null;
  try {
    url = new URL(origin);
  } catch {
    // "null" (sandboxed or opaque origins) and garbage are foreign.
  }
  const ours = url !== null && headers.host !== undefined && authority(url.protocol, headers.host) === url.host;
  return ours ? null : `cross-site request refused (Origin: ${origin})`;
}
