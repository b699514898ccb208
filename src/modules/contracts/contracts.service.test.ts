import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import type { Services } from '../../app/services.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { countAuditEvents } from '../../../test/support/factories.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { insertSyntheticPayments } from '../spend/index.js';
import { runImportOcdsCommand } from './contracts.cli.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/ocds/', import.meta.url));
const metadata = {
  uri: 'https://example.gov.uk/ocds/bulk.json',
  version: '1.1',
  publisher: { name: 'Example' },
  publishedDate: '2024-05-01T00:00:00Z',
};
const bulkRelease = (index: number) => ({
  ocid: `ocds-bulk01-${index}`,
  id: `r${index}`,
  date: '2024-05-01T00:00:00Z',
  tag: ['tender'],
  initiationType: 'tender',
  buyer: { name: 'Example Council' },
  tender: { id: 't', title: `Contract ${index}`, value: { amount: 1000 + index, currency: 'GBP' } },
});
const read = (name: string) => readFileSync(`${fixtures}${name}`, 'utf8');

describeEachEngine('contracts: OCDS import and the register', ({ database }) => {
  let services: Services;

  beforeAll(async () => {
    ({ services } = await buildTestApp(database()));
  });

  const countContracts = async () =>
    (await sql<{ n: number }>`select count(*)::int8 as n from contracts`.execute(database().db)).rows[0]?.n;

  it('imports the two real Contracts Finder packages, linked to their councils, and updates rather than duplicates on re-import', async () => {
    const outcomes = [];
    for (const file of ['cf-2014-kent-release-package.json', 'cf-derbycity-release-package.json']) {
      outcomes.push(await services.contractsService.importOcdsFile(`${fixtures}${file}`));
    }
    expect(outcomes.map(({ status, releases, contracts, created }) => ({ status, releases, contracts, created }))).toEqual([
      { status: 'imported', releases: 1, contracts: 1, created: 1 },
      { status: 'imported', releases: 1, contracts: 1, created: 1 },
    ]);
    const kent = await services.contractsService.listContracts({ organisation: 'E10000016', page: 1, pageSize: 10 });
    expect(kent.items.map((item) => [item.title, item.minimumValuePence, item.categoryName])).toEqual([
      ['SS1464 - Strategic Transformation Partner', 57_822_900, 'Food and drink'],
    ]);
    const before = await countContracts();
    const again = await services.contractsService.importOcdsFile(`${fixtures}cf-2014-kent-release-package.json`);
    expect(again).toMatchObject({ status: 'imported', created: 0, updated: 1 });
    expect(await countContracts()).toBe(before);
  });

  it('reads bare releases, lists and record packages, and links suppliers to spend suppliers by company number then name', async () => {
    const db = database().db;
    const oxford = (await db.selectFrom('organisations').select('id').where('gss_code', '=', 'E07000178').executeTakeFirstOrThrow()).id;
    const { suppliers } = await insertSyntheticPayments(moduleDatabase(db), [
      { organisationId: oxford, supplier: 'Bins Software (Trading) Ltd', companyNumber: '01234567', date: '2024-05-01', pence: 100_000 },
      { organisationId: oxford, supplier: 'A SOLE TRADER', date: '2024-05-02', pence: 50_000 },
    ]);
    const outcome = await services.contractsService.importOcds({
      text: read('bare-release.json'),
      fileName: 'bare-release.json',
      actor: null,
    });
    expect(outcome.status).toBe('imported');
    const { items } = await services.contractsService.listContracts({ q: 'ocds-test-0001', page: 1, pageSize: 10 });
    const contract = items.find((item) => item.suppliers.length === 2);
    expect(contract?.suppliers.map((supplier) => supplier.supplierId)).toEqual([
      suppliers.get('Bins Software (Trading) Ltd'),
      suppliers.get('A SOLE TRADER'),
    ]);
    // It ends 2027-03-31, within 18 months of the test date (2026-06-01).
    const timeline = await services.contractsService.getExpiryTimeline({});
    expect(timeline.months.map((month) => month.month)).toContain('2027-03');

    for (const file of ['release-list.json', 'record-package.json', 'bare-record.json']) {
      expect((await services.contractsService.importOcds({ text: read(file), fileName: file, actor: null })).status, file).toBe('imported');
    }
  });

  it('keeps each supplier’s size from its party details and measures the share of contract value with SMEs', async () => {
    expect(await services.contractsService.measureSmeShare()).toBeNull(); // the real packages give no supplier sizes
    const party = (id: string, name: string, scale?: string) => ({
      id,
      name,
      roles: ['supplier'],
      ...(scale ? { details: { scale } } : {}),
    });
    const award = (id: string, pounds: number, supplierIds: string[]) => ({
      id,
      status: 'active',
      value: { amount: pounds, currency: 'GBP' },
      suppliers: supplierIds.map((supplierId) => ({ id: supplierId, name: supplierId })),
    });
    const hartlepool = { id: 'buyer', name: 'Hartlepool Borough Council', identifier: { scheme: 'GB-GOR', id: 'E06000001' } };
    const release = {
      ocid: 'ocds-scale1-0001',
      id: 'r1',
      date: '2024-06-01T00:00:00Z',
      tag: ['award'],
      initiationType: 'tender',
      buyer: { id: 'buyer', name: hartlepool.name },
      parties: [
        { ...hartlepool, roles: ['buyer'] },
        party('small', 'Small Co', 'sme'),
        party('big', 'Big plc', 'large'),
        party('solo', 'Solo Trader', 'selfEmployed'),
        party('unsized', 'Unsized Ltd'),
        party('odd', 'Odd Ltd', 'medium'),
      ],
      awards: [award('a1', 1000, ['small', 'big']), award('a2', 300, ['solo']), award('a3', 600, ['unsized']), award('a4', 900, ['odd'])],
    };
    const outcome = await services.contractsService.importOcds({
      text: JSON.stringify({ ...metadata, releases: [release] }),
      fileName: 'scales.json',
      actor: null,
    });
    expect(outcome.status).toBe('imported');
    expect(outcome.warnings.join('\n')).toContain(
      'scale is not a supplier size OCDS knows (micro, sme, large, selfEmployed), so it is left out: $.releases[0].parties[5].details.scale',
    );
    const scales = await sql<{ name: string; scale: string | null }>`
      select s.name, s.scale from contract_suppliers s join contracts c on c.id = s.contract_id
      where c.ocid = 'ocds-scale1-0001' order by s.name`.execute(database().db);
    expect(scales.rows).toEqual([
      { name: 'big', scale: 'large' },
      { name: 'odd', scale: null },
      { name: 'small', scale: 'sme' },
      { name: 'solo', scale: 'selfEmployed' },
      { name: 'unsized', scale: null },
    ]);
    const hartlepoolId = (
      await database().db.selectFrom('organisations').select('id').where('gss_code', '=', 'E06000001').executeTakeFirstOrThrow()
    ).id;
    // £1,000 shared by Small Co (SME) and Big plc (large), £300 with a self-employed supplier; unsized suppliers do not count.
    expect(await services.contractsService.measureSmeShare()).toEqual({
      smePence: 80_000,
      knownPence: 130_000,
      councilIds: [hartlepoolId],
    });
  });

  it('refuses a malformed package with the JSON path of each problem, and writes nothing', async () => {
    const [contracts, audits] = [await countContracts(), await countAuditEvents(database().db)];
    const outcome = await services.contractsService.importOcds({
      text: read('wrong-structure.json'),
      fileName: 'wrong-structure.json',
      actor: null,
    });
    expect(outcome.status).toBe('rejected');
    expect(outcome.errors).toContain('ocid is missing but required: $.releases[1].ocid');
    expect(outcome.errors).toContain('amount must be number or null: $.releases[2].tender.value.amount');
    const broken = await services.contractsService.importOcds({
      text: read('broken-syntax.json'),
      fileName: 'broken-syntax.json',
      actor: null,
    });
    expect(broken.errors[0]).toMatch(/\(line 4, column 45\): \$$/);
    expect(await countContracts()).toBe(contracts);
    expect(await countAuditEvents(database().db)).toBe(audits);
  });

  it('writes nothing when the only fault is at the very end of a large file (a duplicate release, an amount of 1e308)', async () => {
    const [contracts, audits] = [await countContracts(), await countAuditEvents(database().db)];
    const releases = Array.from({ length: 1200 }, (_, index) => bulkRelease(index));
    const lateFaults = [
      { last: bulkRelease(7), path: '$.releases[1200]' },
      {
        last: { ...bulkRelease(1200), tender: { id: 't', value: { amount: 1e308, currency: 'GBP' } } },
        path: '$.releases[1200].tender.value.amount',
      },
    ];
    for (const { last, path: faultPath } of lateFaults) {
      const text = JSON.stringify({ ...metadata, releases: [...releases, last] });
      const outcome = await services.contractsService.importOcds({ text, fileName: 'late-fault.json', actor: null });
      expect(outcome.status).toBe('rejected');
      expect(outcome.issues.errors.map((issue) => issue.paths)).toEqual([[faultPath]]);
    }
    expect(await countContracts()).toBe(contracts);
    expect(await countAuditEvents(database().db)).toBe(audits);
  });

  it('streams a file of many releases from disk in batches: the newest release of a contract wins wherever it is', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ocds-bulk-'));
    const file = path.join(folder, 'bulk.jsonl');
    // JSON Lines of two packages; contract 3 appears again, newer, at the very end.
    const first = { ...metadata, releases: Array.from({ length: 1100 }, (_, index) => bulkRelease(index)) };
    const newer = { ...bulkRelease(3), id: 'r3-update', date: '2024-06-01T00:00:00Z', tender: { id: 't', title: 'Renamed contract 3' } };
    const second = { ...metadata, uri: 'https://example.gov.uk/ocds/bulk-2.json', releases: [bulkRelease(1100), newer] };
    writeFileSync(file, `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`);
    try {
      const before = await countContracts();
      const outcome = await services.contractsService.importOcdsFile(file);
      expect(outcome).toMatchObject({ status: 'imported', releases: 1102, contracts: 1101, created: 1101, updated: 0, errors: [] });
      expect(await countContracts()).toBe((before ?? 0) + 1101);
      const { items } = await services.contractsService.listContracts({ q: 'ocds-bulk01-3', page: 1, pageSize: 5 });
      expect(items.map((item) => [item.title, item.sourceUrl])).toEqual([
        ['Renamed contract 3', 'https://example.gov.uk/ocds/bulk-2.json'],
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers the CLI with one JSON object per file and a non-zero exit when any file is refused', async () => {
    let out = '';
    const code = await runImportOcdsCommand(['--json', `${fixtures}cf-derbycity-release-package.json`, `${fixtures}wrong-structure.json`], {
      contractsService: services.contractsService,
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: () => undefined },
    });
    expect(code).toBe(1);
    const lines = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.file, line.status, line.releases, line.contracts])).toEqual([
      ['cf-derbycity-release-package.json', 'imported', 1, 1],
      ['wrong-structure.json', 'rejected', 0, 0],
    ]);
    expect(Object.keys(lines[0] ?? {})).toEqual(expect.arrayContaining(['file', 'status', 'releases', 'contracts', 'errors']));
  });

  it('answers the CLI for an amount of 1e308 with a refusal naming its path, not a crash', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ocds-cli-'));
    const file = path.join(folder, 'huge-amount.json');
    writeFileSync(file, JSON.stringify({ ...metadata, releases: [{ ...bulkRelease(1), tender: { id: 't', value: { amount: 1e308 } } }] }));
    let out = '';
    try {
      const code = await runImportOcdsCommand([file], {
        contractsService: services.contractsService,
        stdout: { write: (text: string) => (out += text) },
        stderr: { write: () => undefined },
      });
      expect(code).toBe(1);
      expect(out).toContain('huge-amount.json: refused, nothing written:\n  amount is too large to store');
      expect(out).toContain('$.releases[0].tender.value.amount');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
