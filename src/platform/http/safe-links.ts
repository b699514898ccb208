/**
 * The address to put in an `href` for a link to another site, or null when the value must not be a link: only
 * absolute http and https URLs with a host qualify. `javascript:`, `data:`, `vbscript:`, relative paths and
 * anything unparseable are shown as text, never linked. Whitespace and control characters are refused rather than
 * stripped, because a browser's own stripping is what smuggles a scheme past naive checks.
 */
export function safeExternalUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const candidate = value.trim();
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (candidate === '' || candidate.length > 2048 || /[\u0000-\u0020\u007f-\u009f]/.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.href;
}
