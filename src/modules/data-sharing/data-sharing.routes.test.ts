import crypto from 'node:crypto';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { followRedirect, successBanner } from '../../../test/support/flash.js';
import { buildApiToken, buildUser, organisationId, startSession } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';
import { agreementFormValues, buildAgreementInput, buildMultipart } from './data-sharing.factories.js';
import { seedDataSharingDemo } from './data-sharing.seed.js';
import { buildXlsx } from '../../../test/support/xlsx-writer.js';

const SPEND_HEADER =
  'Organisation name,Organisation code,Payment date,Transaction number,Amount,Irrecoverable VAT,Supplier name,Supplier ID,Service area,Expense type,Purpose,Merchant category';
const GOOD_ROW = 'Oxford City Council,E07000178,2026-04-02,T1,"£1,250.00",,Acme Ltd,01234567,Housing,Repairs,Boiler,';
const BAD_ROW = 'Oxford City Council,E07000178,2026-02-30,T2,lots,,Acme Ltd,01234567,Housing,Repairs,Boiler,';

describeEachEngine('data sharing pages and API', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let memberCookie: string;
  let csrf: string;
  let token: string;

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    await seedDataSharingDemo(services);
    const oxford = await organisationId(database().db, 'E07000178');
    const member = await buildUser(database().db, { organisationId: oxford, name: 'Alex Morgan' });
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const session = await startSession(database().db, member.id);
    memberCookie = `commons_session=${session}; ${CSRF_COOKIE}=${csrfCookie}`;
    csrf = csrfTokenFor(TEST_SECRET, csrfCookie, session);
    token = await buildApiToken(database().db, member.id, ['read']);
  });
  afterAll(async () => {
    await app.close();
  });

  const countReports = async () =>
    Number(
      (
        await database()
          .db.selectFrom('data_validation_reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const postForm = (url: string, values: Record<string, string | readonly string[] | undefined>) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie: memberCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...values, _csrf: csrf }),
    });

  describe('the validator', () => {
    it('answers POST /api/v1/validate with the interface’s object and a shareable report', async () => {
      const body = buildMultipart([
        { field: 'schema', value: 'spending-over-500' },
        { field: 'file', fileName: 'april.csv', content: `${SPEND_HEADER}\n${GOOD_ROW}\n${BAD_ROW}\n` },
      ]);
      expect((await app.inject({ method: 'POST', url: '/api/v1/validate', ...body })).statusCode).toBe(401);
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/validate',
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      const report = response.json<{ file: string; valid: boolean; stats: Record<string, unknown>; errors: Record<string, unknown>[] }>();
      expect(Object.keys(report)).toEqual(['file', 'valid', 'stats', 'errors']);
      expect(Object.keys(report.stats)).toEqual(['rows', 'fields', 'errors', 'bytes', 'sha256']);
      expect(report).toMatchObject({ file: 'april.csv', valid: false, stats: { rows: 2, fields: 12, errors: 2 } });
      expect(report.errors.map((error) => [error.type, error.rowNumber, error.fieldNumber, error.fieldName, error.cell])).toEqual([
        ['type-error', 3, 3, 'Payment date', '2026-02-30'],
        ['type-error', 3, 5, 'Amount', 'lots'],
      ]);
      const location = response.headers.location as string;
      expect(location).toMatch(/^\/data-sharing\/validate\/reports\/[\w-]{16}$/);

      const page = await app.inject(location);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('april.csv does not meet Spending over £500 yet: 2 problems in 1 of 2 rows');
      expect(page.body).toContain('Values of the wrong type');
      expect(page.body).toContain('How to fix it:');
      expect(page.body).toContain('<code>2026-02-30</code>');
      const annotated = await app.inject(`${location}/annotated.csv`);
      expect(annotated.body.split('\r\n')[0]).toMatch(/^problems,Organisation name/);
      expect(annotated.body.split('\r\n')[2]).toMatch(
        /^Payment date: type-error \(“2026-02-30”\); Amount: type-error \(“lots”\),Oxford City Council,/,
      );
    });

    it('checks a spreadsheet through the API as it checks a CSV, and annotates it as CSV', async () => {
      const row = (line: string) => line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
      const workbook = buildXlsx([
        { name: 'Spend', rows: [SPEND_HEADER.split(','), row(GOOD_ROW.replace('"£1,250.00"', '1250')), row(BAD_ROW)] },
      ]);
      const body = buildMultipart([
        { field: 'schema', value: 'spending-over-500' },
        { field: 'file', fileName: 'april.xlsx', content: workbook },
      ]);
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/validate',
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      const report = response.json<{ valid: boolean; stats: Record<string, unknown>; errors: Record<string, unknown>[] }>();
      expect(report).toMatchObject({ valid: false, stats: { rows: 2, fields: 12, errors: 2 } });
      expect(report.errors.map((error) => [error.type, error.rowNumber, error.fieldName, error.cell])).toEqual([
        ['type-error', 3, 'Payment date', '2026-02-30'],
        ['type-error', 3, 'Amount', 'lots'],
      ]);
      const annotated = await app.inject(`${response.headers.location as string}/annotated.csv`);
      expect(annotated.body.split('\r\n')[0]).toMatch(/^problems,Organisation name/);
      expect(annotated.body.split('\r\n')[2]).toMatch(
        /^Payment date: type-error \(“2026-02-30”\); Amount: type-error \(“lots”\),Oxford City Council,/,
      );
    });

    it('checks an upload from the page, then a corrected file as a re-check linked to the first report', async () => {
      const first = buildMultipart([
        { field: '_csrf', value: csrf },
        { field: 'standard', value: 'spending-over-500' },
        { field: 'file', fileName: 'may.csv', content: `${SPEND_HEADER}\n${BAD_ROW}\n` },
      ]);
      const response = await app.inject({
        method: 'POST',
        url: '/data-sharing/validate',
        headers: { ...first.headers, cookie: memberCookie },
        payload: first.payload,
      });
      expect(response.statusCode).toBe(303);
      const reportId = (response.headers.location as string).split('/').pop() as string;
      const again = buildMultipart([
        { field: '_csrf', value: csrf },
        { field: 'previous', value: reportId },
        { field: 'standard', value: 'spending-over-500' },
        { field: 'file', fileName: 'may.csv', content: `${SPEND_HEADER}\n${GOOD_ROW}\n` },
      ]);
      const recheck = await app.inject({
        method: 'POST',
        url: '/data-sharing/validate',
        headers: { ...again.headers, cookie: memberCookie },
        payload: again.payload,
      });
      const page = await app.inject(recheck.headers.location as string);
      expect(page.body).toContain('may.csv meets Spending over £500: all 1 rows passed every check.');
      expect(page.body).toContain('The previous check found 2 problems; this one finds 0.');
      // A passing check by a council shows it among those publishing conforming data.
      const standard = await app.inject('/data-sharing/standards/spending-over-500');
      expect(standard.body).toContain('>Oxford</a>');
    });

    it('refuses an upload without its form token first in the body, and stores no report', async () => {
      const reports = await countReports();
      const parts = [
        { field: 'standard', value: 'spending-over-500' },
        { field: 'file', fileName: 'may.csv', content: `${SPEND_HEADER}\n${GOOD_ROW}\n` },
      ];
      for (const [url, body] of [
        ['/data-sharing/validate', buildMultipart(parts)],
        ['/data-sharing/validate', buildMultipart([...parts, { field: '_csrf', value: csrf }])],
        [`/data-sharing/validate?_csrf=${encodeURIComponent(csrf)}`, buildMultipart(parts)],
      ] as const) {
        const response = await app.inject({
          method: 'POST',
          url,
          headers: { ...body.headers, cookie: memberCookie },
          payload: body.payload,
        });
        expect(response.statusCode).toBe(403);
      }
      expect(await countReports()).toBe(reports);
    });

    it('refuses a form post without a file with a message at the field', async () => {
      const body = buildMultipart([
        { field: '_csrf', value: csrf },
        { field: 'standard', value: '' },
      ]);
      const response = await app.inject({
        method: 'POST',
        url: '/data-sharing/validate',
        headers: { ...body.headers, cookie: memberCookie },
        payload: body.payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('href="#file"');
    });
  });

  describe('published files checked on a schedule', () => {
    it('fetches a registered file from its address at each run and keeps its quality score over time', async () => {
      let served = `${SPEND_HEADER}\n${GOOD_ROW}\n${BAD_ROW}\n`;
      const server = http.createServer((_request, response) => response.end(served));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as { port: number };
        const registered = await postForm('/data-sharing/watched', {
          url: `http://127.0.0.1:${port}/spend.csv`,
          standard: 'spending-over-500',
        });
        expect(registered.statusCode).toBe(303);
        const page = registered.headers.location as string;
        expect(await services.validationService.recheckWatchedFiles()).toEqual({ checked: 1, failed: [] });
        served = `${SPEND_HEADER}\n${GOOD_ROW}\n${GOOD_ROW.replace('T1', 'T3')}\n`;
        expect(await services.validationService.recheckWatchedFiles()).toEqual({ checked: 1, failed: [] });
        const history = await services.validationService.getWatchedFile(Number(page.split('/').pop()));
        expect(history.history.map((entry) => [entry.score, entry.errors]).sort()).toEqual([
          [100, 0],
          [50, 2],
        ]);
        expect((await app.inject(page)).body).toContain('Quality score over time');
      } finally {
        server.close();
      }
    });
  });

  describe('the register of data standards', () => {
    it('lists the seeded standards, each one catalogue component of kind data standard', async () => {
      const response = await app.inject('/api/v1/data-standards');
      const body = response.json<{ items: { slug: string; componentSlug: string | null }[] }>();
      expect(body.items.map((item) => item.slug).sort()).toEqual(
        ['counter-fraud', 'open-referral-uk', 'pay-multiples', 'spend-over-25k', 'spending-over-500', 'trade-union-facility-time'].sort(),
      );
      for (const item of body.items) {
        const component = await app.inject(`/api/v1/components/${item.componentSlug ?? 'none'}`);
        expect(component.statusCode).toBe(200);
        expect(component.json<{ component?: { kind: string }; kind?: string }>()).toMatchObject(expect.objectContaining({}));
        expect(component.body).toContain('"data-standard"');
      }
      const csv = await app.inject('/api/v1/data-standards?format=csv');
      expect(csv.body.split('\r\n')[0]).toBe('slug,name,status,owner,licence,kind,component,summary');
      const page = await app.inject('/data-sharing/standards/open-referral-uk');
      expect(page.body).toContain('Table “service” (services.csv)');
      expect(page.body).toContain('Oxfordshire directory of local services');
    });
  });

  describe('the register of agreements', () => {
    it('records a draft, takes it through its lifecycle with a version per change, and publishes nothing personal', async () => {
      const input = buildAgreementInput({
        title: 'Oxford discharge sharing',
        contactName: 'Casey Contact',
        signedOffByName: 'Pat Signatory',
      });
      const created = await postForm('/data-sharing/agreements', agreementFormValues(input));
      expect(created.statusCode).toBe(303);
      const url = created.headers.location as string;
      expect(url).toBe('/data-sharing/agreements/oxford-discharge-sharing');
      expect(successBanner((await followRedirect(app, created, memberCookie)).body)).toBe('The agreement is recorded as a draft');
      expect((await app.inject(url)).statusCode).toBe(404);
      const draftList = await app.inject('/api/v1/data-sharing/agreements?q=Oxford%20discharge');
      expect(draftList.json<{ total: number }>().total).toBe(0);

      expect((await postForm(`${url}/status`, { status: 'active' })).statusCode).toBe(400);
      const agreed = await postForm(`${url}/status`, { status: 'agreed' });
      expect(agreed.statusCode).toBe(303);
      expect(successBanner((await followRedirect(app, agreed, memberCookie)).body)).toBe('The agreement is now agreed');
      const edited = await postForm(`${url}/edit`, {
        ...agreementFormValues({ ...input, reviewDate: '2027-09-30' }),
        note: 'Review moved',
      });
      expect(edited.statusCode).toBe(303);
      expect(successBanner((await followRedirect(app, edited, memberCookie)).body)).toBe('Your changes to the agreement are saved');
      expect((await postForm(`${url}/status`, { status: 'active' })).statusCode).toBe(303);

      const publicPage = await app.inject(url);
      expect(publicPage.statusCode).toBe(200);
      expect(publicPage.body).toContain('Version 4');
      expect(publicPage.body).toContain('“2027-03-31” → “2027-09-30”');
      const document = await app.inject(`${url}/document`);
      const csv = await app.inject('/api/v1/data-sharing/agreements?format=csv');
      const json = await app.inject('/api/v1/data-sharing/agreements');
      for (const body of [publicPage.body, document.body, csv.body, json.body]) {
        expect(body).not.toContain('Casey Contact');
        expect(body).not.toContain('casey.contact@oxford.example');
        expect(body).not.toContain('Pat Signatory');
      }
      const listed = json.json<{ items: { slug: string; status: string; parties: { name: string; role: string }[] }[] }>().items;
      const published = listed.find((item) => item.slug === 'oxford-discharge-sharing');
      expect(published?.status).toBe('active');
      expect(published?.parties.map((party) => [party.name, party.role]).sort()).toEqual([
        ['Devon', 'controller'],
        ['Oxford', 'controller'],
      ]);
      const flows = await app.inject('/data-sharing/organisations/E10000008/flows');
      expect(flows.body).toContain('Oxford discharge sharing');
    });

    it('refuses special category data without an Article 9 condition, and Article 9(2)(h) without a Schedule 1 condition', async () => {
      const withoutArticle9 = await postForm(
        '/data-sharing/agreements',
        agreementFormValues(buildAgreementInput({ specialCategory: true })),
      );
      expect(withoutArticle9.statusCode).toBe(400);
      expect(withoutArticle9.body).toContain(
        'Special category data (health, ethnicity, religion, sexual orientation and others) can only be shared with an Article 9 condition',
      );
      const withoutSchedule1 = await postForm(
        '/data-sharing/agreements',
        agreementFormValues(buildAgreementInput({ specialCategory: true, article9Condition: 'health-social-care' })),
      );
      expect(withoutSchedule1.statusCode).toBe(400);
      expect(withoutSchedule1.body).toContain('needs a condition from the Data Protection Act 2018, Schedule 1, Part 1');
      const complete = await postForm(
        '/data-sharing/agreements',
        agreementFormValues(
          buildAgreementInput({
            specialCategory: true,
            article9Condition: 'health-social-care',
            schedule1Condition: 'p1-health-social-care',
          }),
        ),
      );
      expect(complete.statusCode).toBe(303);
    });

    it('warns when the ICO’s DPIA triggers apply and no DPIA is done', async () => {
      const created = await postForm(
        '/data-sharing/agreements',
        agreementFormValues(
          buildAgreementInput({
            title: 'Matching without a DPIA',
            dpiaStatus: 'not-started',
            dpiaOutcome: '',
            dpiaTriggers: ['data-matching', 'children'],
          }),
        ),
      );
      const page = await app.inject({
        url: (created.headers.location as string).split('?')[0] as string,
        headers: { cookie: memberCookie },
      });
      expect(page.body).toContain(
        'The ICO expects a data protection impact assessment before this sharing starts (combining, comparing or matching data from several sources; data about children',
      );
    });

    it('emails a review reminder once per review date', async () => {
      const input = buildAgreementInput({ title: 'Review soon', reviewDate: '2026-06-20', contactEmail: 'review.contact@oxford.example' });
      await postForm('/data-sharing/agreements', agreementFormValues(input));
      await postForm('/data-sharing/agreements/review-soon/status', { status: 'agreed' });
      expect(await services.agreementsService.sendReviewReminders()).toBeGreaterThanOrEqual(1);
      expect(await services.agreementsService.sendReviewReminders()).toBe(0);
      const mail = await database()
        .db.selectFrom('mail_outbox')
        .selectAll()
        .where('recipient', '=', 'review.contact@oxford.example')
        .execute();
      expect(mail).toHaveLength(1);
      expect(mail[0]?.subject).toBe('Due for review: Review soon');
      expect(mail[0]?.body).toContain('/data-sharing/agreements/review-soon');
    });
  });

  describe('the exemplars', () => {
    it('counts live exemplars towards the target of 15', async () => {
      const response = await app.inject('/api/v1/data-sharing/exemplars');
      const body = response.json<{ live: number; target: number; items: { status: string }[] }>();
      expect(body.target).toBe(15);
      expect(body.live).toBe(body.items.filter((item) => item.status === 'live' || item.status === 'replicated').length);
      expect(body.live).toBe(3);
      const page = await app.inject('/data-sharing/exemplars');
      expect(page.body).toContain('<strong>3 of 15</strong>');
    });
  });
});
