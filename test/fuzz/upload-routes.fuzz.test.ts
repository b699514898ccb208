import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../src/app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../src/platform/http/csrf.js';
import { describeEachEngine } from '../support/engines.js';
import { buildApiToken, buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp, TEST_SECRET } from '../support/test-app.js';
import { mutatedInputs, seedTexts } from './fuzz-harness.js';

/** Each run writes to the database, so fewer runs than the readers' own fuzzing. */
const ROUTE_RUNS = 12;

/** A self-referencing alias and nested aliases (nine times more at each level): refused with a location, never a 500. */
const ALIAS_ATTACKS = [
  'name: &a [*a]\n',
  [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    ...Array.from({ length: 9 }, (_, index) => {
      const name = String.fromCharCode(98 + index);
      return `${name}: &${name} [${Array(9)
        .fill(`*${String.fromCharCode(97 + index)}`)
        .join(',')}]`;
    }),
  ].join('\n'),
];

function multipart(fileName: string, content: string, fields: Record<string, string> = {}) {
  const boundary = `----fuzz${crypto.randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(content, 'latin1'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachEngine('upload routes under fuzzing', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let token: string;
  let cookie: string;
  let csrf: string;
  let oxford: number;
  let filesDirectory: string;

  beforeAll(async () => {
    filesDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-fuzz-files-'));
    ({ app, services } = await buildTestApp(database(), undefined, { filesDirectory }));
    oxford = await organisationId(database().db, 'E07000178');
    const member = await buildUser(database().db, { organisationId: oxford });
    token = await buildApiToken(database().db, member.id, ['read', 'write']);
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    cookie = `commons_session=${await startSession(database().db, member.id)}; ${CSRF_COOKIE}=${csrfCookie}`;
    csrf = csrfTokenFor(TEST_SECRET, csrfCookie);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(filesDirectory, { recursive: true, force: true });
  });

  const count = async (query: string) =>
    (await sql<{ n: number }>`select (${sql.raw(query)})::int8 as n`.execute(database().db)).rows[0]?.n ?? -1;

  const importPubliccode = (yaml: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/components/import',
      headers: { authorization: `Bearer ${token}` },
      payload: { fileName: 'publiccode.yml', yaml },
    });

  it('publiccode.yml: never a 500; a refusal says where, and writes nothing', async () => {
    const seeds = seedTexts('publiccode', { match: /\.ya?ml$/ });
    const check = async (yaml: string) => {
      const before = await count('select count(*) from components');
      const response = await importPubliccode(yaml);
      expect(response.statusCode).toBeLessThan(500);
      if (response.statusCode === 422) {
        const outcome = response.json<{ errors: { field: string; line?: number; message: string }[] }>();
        expect(outcome.errors.length).toBeGreaterThan(0);
        for (const error of outcome.errors) expect(error.field !== '' || typeof error.line === 'number').toBe(true);
        expect(await count('select count(*) from components')).toBe(before);
      }
    };
    for (const attack of ALIAS_ATTACKS) {
      const response = await importPubliccode(attack);
      expect(response.statusCode).toBe(422);
    }
    await fc.assert(fc.asyncProperty(mutatedInputs(seeds), check), { numRuns: ROUTE_RUNS });
  }, 300_000);

  it('OCDS: never an uncaught error; a refusal says where, and writes nothing', async () => {
    const seeds = seedTexts('ocds', { match: /\.json$/, maxBytes: 40_000 });
    await fc.assert(
      fc.asyncProperty(mutatedInputs(seeds), async (text) => {
        const before = await count('select count(*) from contracts');
        const outcome = await services.contractsService.importOcds({ text, fileName: 'fuzzed.json', actor: null });
        if (outcome.status === 'rejected') {
          expect(outcome.errors.length).toBeGreaterThan(0);
          // Each problem names where: the JSON path of the value, `$` for the file as a whole.
          for (const error of outcome.errors) expect(error).toMatch(/(^|: |, )\$/);
          expect(await count('select count(*) from contracts')).toBe(before);
        }
      }),
      { numRuns: ROUTE_RUNS },
    );
  }, 300_000);

  it('spend files: the upload and its preview never answer 500; a refused import leaves nothing visible', async () => {
    const seeds = seedTexts('spend', { match: /\.csv$/i, maxBytes: 6_000, encoding: 'latin1' });
    let index = 0;
    // NUL bytes are left out here for now: PostgreSQL text cannot hold them, and a spend file carrying one is still
    // answered with a 500 at upload (its headers go into jsonb) and a raw database error at import. That is an open
    // finding of its own (NUL in spend fields), fixed in the reader; drop this filter when it lands. The readers'
    // own fuzzing (readers.fuzz.test.ts) keeps NUL bytes.
    // The file is sent as latin1 bytes (each character's low byte), so characters such as U+0900 become NUL too.
    const withoutNul = mutatedInputs(seeds).map((text) =>
      text.replace(/[\s\S]/g, (unit) => ((unit.charCodeAt(0) & 0xff) === 0 ? '' : unit)),
    );
    await fc.assert(
      fc.asyncProperty(withoutNul, async (text) => {
        const { body, contentType } = multipart(`fuzzed-${index++}.csv`, text, { _csrf: csrf });
        const upload = await app.inject({
          method: 'POST',
          url: '/spend/organisations/E07000178/imports',
          headers: { cookie, 'content-type': contentType },
          payload: body,
        });
        expect(upload.statusCode).toBeLessThan(500);
        if (upload.statusCode === 303) {
          const preview = await app.inject({ url: String(upload.headers.location), headers: { cookie } });
          expect(preview.statusCode).toBeLessThan(500);
        }

        const file = path.join(filesDirectory, `fuzzed-${index}.csv`);
        fs.writeFileSync(file, Buffer.from(text, 'latin1'));
        const visibleBefore = await count(
          `select coalesce(sum(transactions), 0) from spend_monthly_rollups where organisation_id = ${oxford}`,
        );
        const outcome = await services.spendService.importSpendFile({ organisationId: oxford, path: file, fileName: 'fuzzed.csv' });
        const visibleAfter = await count(
          `select coalesce(sum(transactions), 0) from spend_monthly_rollups where organisation_id = ${oxford}`,
        );
        if (outcome.status === 'rejected') {
          expect(outcome.errors.length).toBeGreaterThan(0);
          expect(visibleAfter).toBe(visibleBefore);
          expect(await count(`select count(*) from spend_transactions where file_id = ${outcome.fileId ?? 0}`)).toBe(0);
        } else if (outcome.status === 'imported') expect(visibleAfter).toBe(visibleBefore + outcome.rowsImported);
        expect(await count(`select count(*) from spend_files where status = 'staging'`)).toBe(0);
      }),
      { numRuns: ROUTE_RUNS },
    );
  }, 600_000);
});
