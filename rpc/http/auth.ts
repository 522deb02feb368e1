// HTTP basic authentication against one server's [unix_http_server]/[inet_http_server]
// username and password. The password is plain text or "{SHA}" + the hex SHA-1 of it.
import type { Credentials } from '../../config/types.js';

// node:crypto is loaded by the first request to check, not imported: most daemons have no password.
const crypto = () => process.getBuiltinModule('node:crypto');

/** What the reference sends with a 401 (Medusa's auth handler, realm "default"). */
export const WWW_AUTHENTICATE = 'Basic realm="default"';

const SHA_PREFIX = '{SHA}';

function digest(text: string): Buffer {
  return crypto().createHash('sha256').update(text, 'utf8').digest();
}

/** Equal-length digests make the comparison's time independent of where the inputs differ. */
function sameText(a: string, b: string): boolean {
  return crypto().timingSafeEqual(digest(a), digest(b));
}

export function passwordMatches(stored: string, given: string): boolean {
  if (stored.startsWith(SHA_PREFIX)) {
    // The reference compares the hex digest as written, so an uppercase hash never matches.
    const givenHash = crypto().createHash('sha1').update(given, 'utf8').digest('hex');
    return sameText(stored.slice(SHA_PREFIX.length), givenHash);
  }
  return sameText(stored, given);
}

/**
 * The user name an Authorization header proves, or null when it is missing, not Basic, or
 * names the wrong user or password.
 */
export function authenticatedUser(authorization: string | undefined, credentials: Credentials): string | null {
  const match = /^(\S+) +(.*)$/.exec(authorization ?? '');
  if (!match || match[1]!.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(match[2]!.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const username = decoded.slice(0, colon);
  // Both checks always run: which one failed must not show in the timing.
  const userOk = sameText(credentials.username, username);
  const passwordOk = passwordMatches(credentials.password, decoded.slice(colon + 1));
  return userOk && passwordOk ? username : null;
}
