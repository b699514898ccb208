import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { organisationId } from '../../../test/support/factories.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { insertSyntheticPayments } from './synthetic-spend.js';
import { describeFileDates } from './spend-file-dates.js';
import type { SpendTables } from './spend.tables.js';

/** A file as Oxford published April to June 2014: a date column holding only 00:00:00, names in capitals. */
const UNDATED_FILE = [
  'Payment Date,Supplier Name,Amount,Expense Type,Service',
  '00:00:00,ACME BUILDING SERVICES LTD,1000.00,Building Repairs,Housing',
  '00:00:00,ZEBRA TRADING LTD,750.00,Other,Corporate',
  '',
].join('\r\n');

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('a spend file’s dates in words', () => {
  const file = { periodFrom: '2014-04', periodTo: '2014-06', dateFrom: '2014-04-01', dateTo: '2014-04-01', rowsImported: 3836 };

  it('says a file without dates has none, and names the period it was published for', () => {
    expect(describeFileDates({ ...file, rowsWithoutDates: 3836 })).toEqual({
      publishedFor: 'April to June 2014',
      dates:
        'None: the file gives no payment dates, so each payment is counted in April 2014, the first month of the period it was published for',
    });
  });

  it('gives the dates of a dated file, and counts the payments of a partly dated one', () => {
    expect(describeFileDates({ ...file, periodFrom: null, periodTo: null, dateTo: '2014-06-27', rowsWithoutDates: 0 })).toEqual({
      publishedFor: null,
      dates: '1 April 2014 to 27 June 2014',
    });
    expect(describeFileDates({ ...file, dateTo: '2014-06-27', rowsWithoutDates: 12 }).dates).toBe(
      '1 April 2014 to 27 June 2014; 12 payments have no date in the file and are counted in April 2014',
    );
  });
});

describeEachEngine('spend figures people can trust', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  let folder: string;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-figures-'));
    ({ app, services } = await buildTestApp(database(), undefined, { filesDirectory: path.join(folder, 'files') }));
    const db = database().db;
    const [oxford, cherwell] = [await organisationId(db, 'E07000178'), await organisationId(db, 'E07000177')];
    fs.writeFileSync(path.join(folder, 'oxford-apr-jun-2014.csv'), UNDATED_FILE);
    const outcome = await services.spendService.importSpendFile({
      organisationId: oxford,
      path: path.join(folder, 'oxford-apr-jun-2014.csv'),
      fileName: 'oxford-apr-jun-2014.csv',
      period: { from: '2014-04', to: '2014-06' },
    });
    expect(outcome).toMatchObject({ status: 'imported', rowsImported: 2 });
    // Cherwell, a district of the same region, pays the same two suppliers for the same kinds of spend.
    await insertSyntheticPayments(moduleDatabase<SpendTables>(db), [
      {
        organisationId: cherwell,
        supplier: 'ACME BUILDING SERVICES LTD',
        date: '2014-05-12',
        pence: 90_000,
        expenseType: 'Building Repairs',
      },
      { organisationId: cherwell, supplier: 'ZEBRA TRADING LTD', date: '2014-05-13', pence: 60_000, expenseType: 'Other' },
    ]);
    for (const [title, problem] of [
      ['Buying library books together', 'Several councils pay for the same library books and could buy them together.'],
      ['Repairs to council homes take too long', 'Tenants wait weeks for building repairs booked by phone.'],
    ] as const)
      await services.challengesService.seedChallenge({
        ownerOrganisationId: oxford,
        challenge: { title, problem, serviceArea: 'housing' },
        sharers: [],
      });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('says a council’s file had no dates, covers the period it was published for, and writes months in words', async () => {
    const page = await app.inject('/spend/organisations/E07000178');
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain('Period covered 1 April 2014 to 30 June 2014');
    expect(words).toContain('2 payments come from files published for a period without payment dates');
    expect(page.body).toMatch(/<th scope="row" class="govuk-table__header">April 2014<\/th>/);
    expect(page.body).not.toContain('2014-04<');
    // The council's page says the same of its spending.
    expect(text((await app.inject('/organisations/E07000178')).body)).toContain('Paid between 1 April 2014 and 30 June 2014');
  });

  it('shows supplier names published in capitals in a readable form, keeping what was published', async () => {
    const council = await app.inject('/spend/organisations/E07000178');
    expect(council.body).toContain('>Acme Building Services LTD</a>');
    expect(council.body).not.toContain('>ACME BUILDING SERVICES LTD<');
    const supplierId = /href="\/spend\/suppliers\/(\d+)">Acme Building Services LTD</.exec(council.body)?.[1];
    const supplier = await app.inject(`/spend/suppliers/${supplierId}`);
    expect(supplier.body).toContain('<h1 class="govuk-heading-l">Acme Building Services LTD</h1>');
    expect(text(supplier.body)).toContain('Published as ACME BUILDING SERVICES LTD');
  });

  it('lists as similar only councils that have spend data', async () => {
    const similar = await app.inject('/api/v1/spend/organisations/E07000178/similar');
    expect(similar.json<{ items: { gssCode: string }[] }>().items.map((item) => item.gssCode)).toEqual(['E07000177']);
    expect(text((await app.inject('/spend/organisations/E07000178')).body)).toContain('Cherwell (Same type, South East)');
  });

  it('suggests for a shared supplier only a challenge about what it was paid for, or none', async () => {
    const signals = await app.inject('/spend/signals');
    const rows = [...signals.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((match) => text(match[1] ?? ''));
    const acme = rows.find((row) => row.includes('Acme Building Services LTD'));
    const zebra = rows.find((row) => row.includes('Zebra Trading LTD'));
    expect(acme).toContain('Start a collaboration about Acme Building Services LTD on “Repairs to council homes take too long”');
    expect(zebra).toBeDefined();
    expect(zebra).not.toContain('Start a collaboration');
    expect(zebra).toContain('post a challenge');
  });
});
