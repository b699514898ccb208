import type { Readable } from 'node:stream';

/** How many bytes of a body are read, at most, looking for its first field. */
const LEADING_FIELD_LIMIT = 4096;

const NEED_MORE = Symbol('need more');

/**
 * The value of a multipart/form-data body's first part when that part is the text field `name`, else null; every
 * byte read is put back into the stream, so the route's own multipart reader later sees the body whole. Browsers
 * send a form's fields in the order of the page, so a form whose first control is this field always sends it first;
 * that lets a check (the CSRF token) be made before a byte of any uploaded file is read or written. Reads at most
 * 4 KiB; a body that ends before the field is complete gives null and cannot be read again (refuse it).
 */
export async function readLeadingMultipartField(stream: Readable, contentType: string, name: string): Promise<string | null> {
  const boundary = multipartBoundary(contentType);
  if (boundary === null) return null;
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = stream.read() as Buffer | string | null;
    if (chunk === null) {
      if (!(await waitForData(stream))) return null;
      continue;
    }
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    length += chunk.length;
    const read = Buffer.concat(chunks, length);
    const outcome = findLeadingField(read, boundary, name);
    if (outcome === NEED_MORE && length < LEADING_FIELD_LIMIT) continue;
    // Put back in the same tick as the last read, before the stream can announce its end.
    stream.unshift(read);
    return outcome === NEED_MORE ? null : outcome;
  }
}

/** The boundary parameter of a multipart content type, or null. */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * Looks at the start of a multipart body: the first part's value when it is the text field `name`, null when the
 * first part is anything else, NEED_MORE when the bytes so far do not yet say.
 */
function findLeadingField(body: Buffer, boundary: string, name: string): string | null | typeof NEED_MORE {
  const delimiter = `--${boundary}`;
  // RFC 2046 allows a preamble before the first delimiter, which then starts a line.
  let start: number;
  if (body.length < delimiter.length) return NEED_MORE;
  if (body.toString('latin1', 0, delimiter.length) === delimiter) start = delimiter.length;
  else {
    const found = body.indexOf(`\r\n${delimiter}`);
    if (found === -1) return NEED_MORE;
    start = found + 2 + delimiter.length;
  }
  const headersEnd = body.indexOf('\r\n\r\n', start);
  if (headersEnd === -1) return NEED_MORE;
  const headers = body.toString('latin1', start, headersEnd).split('\r\n').slice(1);
  if (!isTextField(headers, name)) return null;
  const valueEnd = body.indexOf(`\r\n${delimiter}`, headersEnd + 4);
  if (valueEnd === -1) return NEED_MORE;
  return body.toString('utf8', headersEnd + 4, valueEnd);
}

/** Whether a part's headers say it is the plain form field `name` (not a file). */
function isTextField(headers: string[], name: string): boolean {
  const disposition = headers.find((header) => /^content-disposition\s*:/i.test(header));
  if (disposition === undefined || !/:\s*form-data\s*(;|$)/i.test(disposition)) return false;
  if (/;\s*filename\*?\s*=/i.test(disposition)) return false;
  const field = /;\s*name\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(disposition);
  return (field?.[1] ?? field?.[2]) === name;
}

/** Waits until the stream has more to read (true), or has ended or failed (false). */
function waitForData(stream: Readable): Promise<boolean> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (more: boolean) => () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onEnd);
      stream.off('close', onEnd);
      resolve(more);
    };
    const onReadable = settle(true);
    const onEnd = settle(false);
    stream.once('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onEnd);
    stream.once('close', onEnd);
  });
}
