/**
 * A `Content-Disposition: attachment` value for any file name (RFC 6266): a plain ASCII `filename` for old
 * clients, with every other character replaced, and the exact name as UTF-8 in `filename*` (RFC 8187). Control
 * characters and path separators never reach either, so no name can break the header or choose a folder.
 */
export function attachmentDisposition(fileName: string): string {
  const cleaned = fileName
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[/\\]/g, '_')
    .trim();
  const name = cleaned === '' || cleaned === '.' || cleaned === '..' ? 'download' : cleaned;
  const fallback = name.replace(/[^\u0020-\u007e]/g, '_').replace(/["%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** Percent-encodes everything but RFC 8187's attr-char set. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
