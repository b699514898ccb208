const PLACEHOLDER_ORIGIN = 'http://commons.invalid';

/**
 * A path on this site to send a person to after signing in, or "/" when the candidate could lead anywhere else.
 * The answer is what the browser will follow, so it is checked after URL parsing has resolved dot segments and
 * encoded dots: a result beginning `//` or `/\` would be read by browsers as another host.
 */
export function safeNextPath(candidate: unknown): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(candidate)) return '/';
  let url: URL;
  try {
    url = new URL(candidate, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return '/';
  const path = `${url.pathname}${url.search}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}
