import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { multipartBoundary, readLeadingMultipartField } from './multipart-field.js';

const boundary = '----formboundary7MA4YWxk';
const contentType = `multipart/form-data; boundary=${boundary}`;

function part(name: string, value: string, filename?: string): string {
  const disposition = `form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}`;
  return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${filename === undefined ? '' : 'Content-Type: text/csv\r\n'}\r\n${value}\r\n`;
}

function body(...parts: string[]): Buffer {
  return Buffer.from(`${parts.join('')}--${boundary}--\r\n`);
}

/** A stream that gives the body in pieces of `size` bytes, one per tick, as a network would. */
function streamOf(bytes: Buffer, size: number): PassThrough {
  const stream = new PassThrough();
  void (async () => {
    for (let at = 0; at < bytes.length; at += size) {
      stream.write(bytes.subarray(at, at + size));
      await new Promise((resolve) => setImmediate(resolve));
    }
    stream.end();
  })();
  return stream;
}

async function readAll(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('reading the first field of a multipart body', () => {
  const whole = body(part('_csrf', 'token-value_43'), part('file', 'a,b\n1,2', 'spend.csv'));

  it.each([1, 7, 64, 100_000])('finds the field and leaves the body whole, given %i bytes at a time', async (size) => {
    const stream = streamOf(whole, size);
    expect(await readLeadingMultipartField(stream, contentType, '_csrf')).toBe('token-value_43');
    expect((await readAll(stream)).equals(whole)).toBe(true);
  });

  it('gives null when the first part is another field or a file, and still leaves the body whole', async () => {
    for (const bytes of [
      body(part('file', 'x', 'spend.csv'), part('_csrf', 'late')),
      body(part('year', '2025'), part('_csrf', 'late')),
      body(part('_csrf', 'a file named like the token', 'token.txt')),
    ]) {
      const stream = streamOf(bytes, 5);
      expect(await readLeadingMultipartField(stream, contentType, '_csrf')).toBeNull();
      expect((await readAll(stream)).equals(bytes)).toBe(true);
    }
  });

  it('reads past a preamble before the first delimiter', async () => {
    const bytes = Buffer.concat([Buffer.from('This is a preamble.\r\n'), whole]);
    const stream = streamOf(bytes, 3);
    expect(await readLeadingMultipartField(stream, contentType, '_csrf')).toBe('token-value_43');
    expect((await readAll(stream)).equals(bytes)).toBe(true);
  });

  it('gives up after a few kilobytes without an answer, leaving the body whole', async () => {
    const bytes = body(part('_csrf', 'x'.repeat(10_000)));
    const stream = streamOf(bytes, 1000);
    expect(await readLeadingMultipartField(stream, contentType, '_csrf')).toBeNull();
    expect((await readAll(stream)).equals(bytes)).toBe(true);
  });

  it('gives null for a body that ends before the field does, or a content type without a boundary', async () => {
    expect(await readLeadingMultipartField(streamOf(Buffer.from(part('_csrf', 'cut').slice(0, -6)), 4), contentType, '_csrf')).toBeNull();
    expect(await readLeadingMultipartField(streamOf(whole, 4), 'multipart/form-data', '_csrf')).toBeNull();
  });

  it('reads quoted and bare boundaries', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b:c"')).toBe('a b:c');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; BOUNDARY=xyz')).toBe('xyz');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
  });

  it('puts the bytes back into a real request, which can then be read whole', async () => {
    const server = http.createServer((request, response) => {
      void (async () => {
        const field = await readLeadingMultipartField(request, String(request.headers['content-type']), '_csrf');
        const rest: Buffer[] = [];
        for await (const chunk of request) rest.push(chunk as Buffer);
        response.end(JSON.stringify({ field, same: Buffer.concat(rest).equals(whole) }));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: new Uint8Array(whole),
      });
      expect(await answer.json()).toEqual({ field: 'token-value_43', same: true });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
