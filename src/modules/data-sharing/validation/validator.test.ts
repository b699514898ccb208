import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STANDARDS_FOLDER } from '../data-sharing.seed.js';
import { readDataPackage, readTableSchema, SchemaError } from './table-schema.js';
import { validatePackage } from './validate-package.js';
import { validateTable } from './validate-table.js';
import type { ValidationIssue } from './validation.types.js';
import { buildXlsx } from '../../../../test/support/xlsx-writer.js';

const schema = (descriptor: unknown) => readTableSchema(descriptor);
const check = (csv: string | Buffer, descriptor: unknown) =>
  validateTable([typeof csv === 'string' ? Buffer.from(csv) : csv], {
    file: 'test.csv',
    schema: descriptor === null ? null : schema(descriptor),
  });
const pin = (errors: ValidationIssue[]) => errors.map((error) => [error.type, error.rowNumber, error.fieldNumber]);

const people = {
  fields: [
    { name: 'id', type: 'integer', constraints: { required: true } },
    { name: 'name', type: 'string' },
    { name: 'born', type: 'date' },
  ],
};

describe('header problems', () => {
  it('reports blank, duplicate, incorrect, extra and missing labels at row 1 with their field numbers', async () => {
    const extra = await check('id,,born,notes\n1,Ann,2001-02-03,x\n', people);
    expect(pin(extra.errors)).toEqual([
      ['blank-label', 1, 2],
      ['extra-label', 1, 4],
      ['extra-cell', 2, 4],
    ]);
    const duplicate = await check('id,id,born\n1,Ann,2001-02-03\n', people);
    expect(pin(duplicate.errors)).toEqual([['duplicate-label', 1, 2]]);
    const incorrect = await check('id,Name,born\n1,Ann,2001-02-03\n', people);
    expect(incorrect.errors[0]).toMatchObject({ type: 'incorrect-label', rowNumber: 1, fieldNumber: 2, fieldName: 'name', cell: 'Name' });
    const missing = await check('id,name\n1,Ann\n', people);
    expect(pin(missing.errors)).toEqual([
      ['missing-label', 1, 3],
      ['missing-cell', 2, 3],
    ]);
  });
});

describe('row problems', () => {
  it('reports a blank row and checks nothing else in it', async () => {
    const report = await check('id,name,born\n1,Ann,2001-02-03\n,,\n2,Bob,2002-03-04\n', people);
    expect(pin(report.errors)).toEqual([['blank-row', 3, null]]);
    expect(report.stats.rows).toBe(3);
  });

  it('reports extra and missing cells by position', async () => {
    const report = await check('id,name,born\n1,Ann,2001-02-03,surplus\n2,Bob\n', people);
    expect(report.errors).toEqual([
      expect.objectContaining({ type: 'extra-cell', rowNumber: 2, fieldNumber: 4, cell: 'surplus' }),
      expect.objectContaining({ type: 'missing-cell', rowNumber: 3, fieldNumber: 3, fieldName: 'born' }),
    ]);
  });

  it('reads a spreadsheet as it reads a CSV: dates in date formats, numbers, blank rows, at the sheet’s own row numbers', async () => {
    const workbook = buildXlsx([
      {
        name: 'People',
        rows: [
          ['id', 'name', 'born'],
          [1, 'Ann', { serialDate: 36925 }],
          [null, null, null],
          [3, 'Cy', 'not a date'],
          ['four', 'Di', { serialDate: 36926 }],
        ],
      },
    ]);
    const report = await check(workbook, people);
    expect(report.encoding).toBe('xlsx');
    expect(pin(report.errors)).toEqual([
      ['blank-row', 3, null],
      ['type-error', 4, 3],
      ['type-error', 5, 1],
    ]);
    expect(report.stats).toMatchObject({ rows: 4, bytes: workbook.length });
    const broken = await check(Buffer.concat([workbook.subarray(0, 200), Buffer.alloc(100)]), people);
    expect(pin(broken.errors)).toEqual([['source-error', null, null]]);
    expect(broken.errors[0]?.message).toContain('The spreadsheet could not be read');
  });

  it('reports an invalid date as a type error with the value as written', async () => {
    const report = await check('id,name,born\n1,Ann,2001-02-30\n2,Bob,03/04/2002\n', people);
    expect(report.errors).toEqual([
      expect.objectContaining({ type: 'type-error', rowNumber: 2, fieldNumber: 3, fieldName: 'born', cell: '2001-02-30' }),
      expect.objectContaining({ type: 'type-error', rowNumber: 3, fieldNumber: 3, cell: '03/04/2002' }),
    ]);
    expect(report.errors[0]?.message).toContain('type is "date/default"');
  });

  it('refuses a thousands separator the schema does not allow, and accepts it when groupChar says so', async () => {
    const strict = { fields: [{ name: 'amount', type: 'number' }] };
    const grouped = { fields: [{ name: 'amount', type: 'number', groupChar: ',' }] };
    expect(pin((await check('amount\n"1,234.50"\n99.5\n', strict)).errors)).toEqual([['type-error', 2, 1]]);
    expect((await check('amount\n"1,234.50"\n99.5\n', grouped)).valid).toBe(true);
  });

  it('reads decimalChar, bareNumber, booleans, integers and the legacy fmt: date patterns', async () => {
    const descriptor = {
      fields: [
        { name: 'price', type: 'number', decimalChar: ',', groupChar: '.', bareNumber: false },
        { name: 'ok', type: 'boolean', trueValues: ['yes'], falseValues: ['no'] },
        { name: 'count', type: 'integer' },
        { name: 'paid', type: 'date', format: 'fmt:DD/MM/YYYY' },
        { name: 'at', type: 'date', format: '%d %b %Y' },
      ],
    };
    const good = await check('price,ok,count,paid,at\n"€1.234,5",yes,-4,31/12/2025,5 Apr 2026\n', descriptor);
    expect(good.errors).toEqual([]);
    const bad = await check('price,ok,count,paid,at\nabc,true,4.5,2025-12-31,5 Foo 2026\n', descriptor);
    expect(pin(bad.errors)).toEqual([
      ['type-error', 2, 1],
      ['type-error', 2, 2],
      ['type-error', 2, 3],
      ['type-error', 2, 4],
      ['type-error', 2, 5],
    ]);
  });

  it('checks every constraint: required, enum, minimum, maximum, lengths and pattern', async () => {
    const descriptor = {
      fields: [
        { name: 'code', type: 'string', constraints: { required: true, pattern: '[A-Z]{3}', minLength: 3, maxLength: 3 } },
        { name: 'size', type: 'integer', constraints: { minimum: 1, maximum: 10 } },
        { name: 'colour', type: 'string', constraints: { enum: ['red', 'green'] } },
        { name: 'from', type: 'date', constraints: { minimum: '2020-01-01' } },
      ],
    };
    const report = await check('code,size,colour,from\n,5,red,2021-01-01\nab,11,blue,2019-12-31\nABC,0,green,2020-01-01\n', descriptor);
    expect(report.errors.map((error) => [error.type, error.rowNumber, error.fieldNumber, error.message.split(': ').pop()])).toEqual([
      ['constraint-error', 2, 1, 'constraint "required" is "True"'],
      ['constraint-error', 3, 1, 'constraint "minLength" is "3"'],
      ['constraint-error', 3, 2, 'constraint "maximum" is "10"'],
      ['constraint-error', 3, 3, 'constraint "enum" is "red, green"'],
      ['constraint-error', 3, 4, 'constraint "minimum" is "2020-01-01"'],
      ['constraint-error', 4, 2, 'constraint "minimum" is "1"'],
    ]);
  });

  it('treats the schema’s missingValues as empty, and reports unique and primary-key repeats by what the cell means', async () => {
    const descriptor = {
      missingValues: ['', 'n/a'],
      primaryKey: ['id'],
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'email', type: 'string', format: 'email', constraints: { unique: true } },
      ],
    };
    const report = await check('id,email\n1,a@example.org\n01,n/a\n2,a@example.org\nn/a,b@example.org\n', descriptor);
    expect(pin(report.errors)).toEqual([
      ['primary-key', 3, 1],
      ['unique-error', 4, 2],
      ['constraint-error', 5, 1],
    ]);
    expect(report.errors[0]?.message).toContain('the same as in the row at position 2');
  });

  it('remembers the values of key fields anywhere in the row, and forgets a key field’s value when its next cell is empty or wrong', async () => {
    const descriptor = {
      primaryKey: ['code'],
      uniqueKeys: [['team', 'year']],
      fields: [
        { name: 'note', type: 'string' },
        { name: 'team', type: 'string' },
        { name: 'year', type: 'integer' },
        { name: 'code', type: 'integer' },
      ],
    };
    // Rows 3 and 4 repeat row 2's team with no usable year: no key, so no repeat, and row 5 repeats row 2 in full.
    const csv = 'note,team,year,code\nx,red,2024,1\nx,red,,2\nx,red,soon,3\nx,red,2024,1\n';
    expect(pin((await check(csv, descriptor)).errors)).toEqual([
      ['type-error', 4, 3],
      ['unique-error', 5, 2],
      ['primary-key', 5, 4],
    ]);
  });

  it('checks a foreign key to its own table at the end, whatever the order of rows', async () => {
    const descriptor = {
      fields: [
        { name: 'id', type: 'string' },
        { name: 'parent', type: 'string' },
      ],
      foreignKeys: [{ fields: 'parent', reference: { resource: '', fields: 'id' } }],
    };
    const report = await check('id,parent\na,b\nb,\nc,zzz\n', descriptor);
    expect(pin(report.errors)).toEqual([['foreign-key', 4, 2]]);
  });
});

describe('bytes and files', () => {
  it('reports an empty file and an unclosed quote as source errors', async () => {
    expect(pin((await check('', people)).errors)).toEqual([['source-error', null, null]]);
    const unclosed = await check('id,name,born\n1,"Ann,2001-02-03\n', people);
    expect(unclosed.errors.map((error) => error.type)).toContain('source-error');
  });

  it('reports an encoding error for bytes that are not UTF-8 after UTF-8 text, and reads Windows-1252', async () => {
    const head = Buffer.from(`id,name,born\n1,Zoë,2001-02-03\n${'2,Bob,2001-02-03\n'.repeat(5000)}`);
    const broken = Buffer.concat([head, Buffer.from([0x33, 0x2c, 0xff, 0xfe, 0x2c, 0x0a])]);
    const report = await validateTable([head.subarray(0, 70000), broken.subarray(70000)], { file: 'x.csv', schema: schema(people) });
    expect(report.errors.map((error) => error.type)).toContain('encoding-error');
    const cp1252 = Buffer.from([...Buffer.from('id,name,born\n1,Zo'), 0xeb, ...Buffer.from(',2001-02-03\n')]);
    const latin = await check(cp1252, people);
    expect(latin).toMatchObject({ valid: true, encoding: 'windows-1252' });
  });

  it('reports a schema that breaks the specification as a schema error naming where', async () => {
    expect(() => readTableSchema({ fields: [{ name: 'a', type: 'integr' }] })).toThrow(SchemaError);
    expect(() => readTableSchema({ fields: [{ name: 'a', type: 'integr' }] })).toThrow(/^schema\.fields\[0\]\.type: /);
    expect(() => readTableSchema({ fields: [{ name: 'a' }], primaryKey: 'b' })).toThrow(/schema\.primaryKey/);
    const report = await check('a\n1\n', { fields: [{ name: 'a', type: 'date', format: '%Q' }] });
    expect(pin(report.errors)).toEqual([['schema-error', null, null]]);
  });

  it('infers a schema when none is given and reports rows that break it', async () => {
    const report = await check('n,when\n1,2026-01-01\n2,2026-01-02\nthree,2026-01-03\n', null);
    expect(report.schemaFields).toEqual([
      { name: 'n', type: 'string', format: 'default' },
      { name: 'when', type: 'date', format: 'default' },
    ]);
    expect(report.inferred).toBe(true);
    const numbers = `n\n${Array.from({ length: 1500 }, (_, index) => index).join('\n')}\nx\n`;
    const late = await check(numbers, null);
    expect(pin(late.errors)).toEqual([['type-error', 1502, 1]]);
  });

  it('counts every error but keeps the first maxErrors, and gives bytes and the SHA-256', async () => {
    const csv = `id\n${'x\n'.repeat(50)}`;
    const report = await validateTable([Buffer.from(csv)], {
      file: 'x',
      schema: schema({ fields: [{ name: 'id', type: 'integer' }] }),
      maxErrors: 10,
    });
    expect(report.stats).toEqual({
      rows: 50,
      fields: 1,
      errors: 50,
      bytes: csv.length,
      sha256: crypto.createHash('sha256').update(csv).digest('hex'),
    });
    expect(report.errors).toHaveLength(10);
  });
});

describe('standards as their owners intend', () => {
  const orUk = path.join(STANDARDS_FOLDER, 'open-referral-uk');
  const open =
    (folder: string, overrides: Record<string, string> = {}) =>
    (resource: { path: string }) =>
      overrides[resource.path] !== undefined
        ? [Buffer.from(overrides[resource.path] ?? '')]
        : fs.existsSync(path.join(folder, resource.path))
          ? fs.createReadStream(path.join(folder, resource.path))
          : null;
  const pkg = () => readDataPackage(JSON.parse(fs.readFileSync(path.join(orUk, 'datapackage.json'), 'utf8')));

  it('passes the Open Referral UK examples, across both files of the package', async () => {
    const result = await validatePackage(pkg(), open(orUk));
    expect(result.reports.map((report) => [report.file, report.valid, report.stats.rows])).toEqual([
      ['organizations.csv', true, 1],
      ['services.csv', true, 1],
    ]);
  });

  it('fails a broken primary key and foreign key across the two files at the rows broken', async () => {
    const organisations = fs.readFileSync(path.join(orUk, 'organizations.csv'), 'utf8').replaceAll('\r\r\n', '\n').trim().split('\n');
    const services = fs.readFileSync(path.join(orUk, 'services.csv'), 'utf8').replaceAll('\r\r\n', '\n').trim().split('\n');
    const duplicated = [...organisations, organisations[1]].join('\n');
    const orphan = [
      ...services,
      (services[1] ?? '').replace('ac148810-d857-441c-9679-408f346de14b,d9d5e0f5', 'bc148810-d857-441c-9679-408f346de14b,e9d5e0f5'),
    ].join('\n');
    const result = await validatePackage(pkg(), open(orUk, { 'organizations.csv': duplicated, 'services.csv': orphan }));
    expect(pin(result.reports[0]?.errors ?? [])).toEqual([
      ['unique-error', 3, 1],
      ['primary-key', 3, 1],
    ]);
    expect(result.reports[1]?.errors).toEqual([
      expect.objectContaining({ type: 'foreign-key', rowNumber: 3, fieldNumber: 2, fieldName: 'organization_id' }),
    ]);
  });

  it('fails an Open Referral UK service at the cell broken: a status outside the list, an id that is not a UUID', async () => {
    const services = fs
      .readFileSync(path.join(orUk, 'services.csv'), 'utf8')
      .replace(',active,', ',open,')
      .replace('ac148810-d857', 'not-a-uuid');
    const resource = pkg().resources.find((candidate) => candidate.name === 'service');
    const report = await validateTable([Buffer.from(services)], { file: 'services.csv', schema: resource?.schema ?? null });
    expect(pin(report.errors)).toEqual([
      ['type-error', 2, 1],
      ['constraint-error', 2, 7],
    ]);
  });

  it.each(['spend-25k', 'fraud', 'pay_multiples', 'trade_union_facility_time'])(
    'passes the %s example and fails it where broken',
    async (name) => {
      const transparency = readTableSchema(
        JSON.parse(fs.readFileSync(path.join(STANDARDS_FOLDER, 'transparency', `${name}.json`), 'utf8')),
      );
      const example = fs.readFileSync(path.join(STANDARDS_FOLDER, 'transparency', `${name}-example.csv`), 'utf8');
      expect((await validateTable([Buffer.from(example)], { file: name, schema: transparency })).errors).toEqual([]);
      // Break the first required number column on the first data row.
      const lines = example.trim().split('\n');
      const header = lines[0]?.split(',') ?? [];
      const index = transparency.fields.findIndex((field) => field.type === 'number' && field.constraints.required);
      const cells = (lines[1] ?? '').match(/("[^"]*"|[^,]*)(,|$)/g)?.map((cell) => cell.replace(/,$/, '')) ?? [];
      cells.length = header.length;
      cells[index] = 'twelve';
      const broken = await validateTable([Buffer.from([header.join(','), cells.join(',')].join('\n'))], {
        file: name,
        schema: transparency,
      });
      expect(pin(broken.errors)).toEqual([['type-error', 2, index + 1]]);
    },
  );
});
