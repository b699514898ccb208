import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, readDataPackage, readTableSchema, SchemaError } from './table-schema.js';
import { validateTable } from './validate-table.js';
import { ERROR_TYPES } from './validation.types.js';

/** A JSON value of any shape, for descriptors that may be nonsense. */
const anyJson = fc.jsonValue({ maxDepth: 4 });

const fieldArbitrary = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 8 }),
    type: fc.constantFrom(...FIELD_TYPES),
    format: fc.constantFrom('default', 'any', 'email', 'uri', 'uuid', '%d/%m/%Y', 'fmt:DD/MM/YYYY', 'array', 'object'),
    constraints: fc.record(
      {
        required: fc.boolean(),
        unique: fc.boolean(),
        minLength: fc.nat(5),
        maxLength: fc.nat(20),
        minimum: fc.oneof(fc.integer(), fc.constant('2020-01-01')),
        pattern: fc.constantFrom('[a-z]+', '\\d{2}', '.*'),
        enum: fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    groupChar: fc.constantFrom(',', ' '),
    decimalChar: fc.constantFrom('.', ','),
    bareNumber: fc.boolean(),
  },
  { requiredKeys: ['name'] },
);

const schemaArbitrary = fc.record(
  {
    fields: fc.array(fieldArbitrary, { minLength: 1, maxLength: 6 }),
    missingValues: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  },
  { requiredKeys: ['fields'] },
);

/** CSV-ish text: cells of awkward characters, quotes, delimiters and line ends. */
const csvArbitrary = fc
  .array(
    fc.array(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"', '""', ',', '\r', '\n', '\r\r\n', '2026-02-30', '1,234', '-0', 'NaN', '')),
      { maxLength: 6 },
    ),
    { maxLength: 8 },
  )
  .map((rows) => rows.map((cells) => cells.join(',')).join('\n'));

describe('the Table Schema reader never fails except by refusing with a location', () => {
  it('reads or refuses any JSON value as a schema', () => {
    fc.assert(
      fc.property(fc.oneof(anyJson, schemaArbitrary as fc.Arbitrary<unknown>), (descriptor) => {
        try {
          const schema = readTableSchema(descriptor);
          expect(Array.isArray(schema.fields)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(SchemaError);
          expect((error as SchemaError).location).toMatch(/^schema/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads or refuses any JSON value as a data package', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyJson,
          fc.record({
            resources: fc.array(fc.record({ name: fc.string(), path: fc.string(), schema: schemaArbitrary })),
          }) as fc.Arbitrary<unknown>,
        ),
        (descriptor) => {
          try {
            readDataPackage(descriptor);
          } catch (error) {
            expect(error).toBeInstanceOf(SchemaError);
            expect((error as SchemaError).location).toMatch(/^package/);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the validator answers every input with a report', () => {
  it('never throws for random schemas and random CSV, and numbers every error in range', async () => {
    await fc.assert(
      fc.asyncProperty(schemaArbitrary, csvArbitrary, async (descriptor, csv) => {
        let schema;
        try {
          schema = readTableSchema(descriptor);
        } catch (error) {
          expect(error).toBeInstanceOf(SchemaError);
          return;
        }
        const report = await validateTable([Buffer.from(csv)], { file: 'random.csv', schema });
        expect(report.valid).toBe(report.stats.errors === 0);
        for (const error of report.errors) {
          expect(ERROR_TYPES).toContain(error.type);
          if (error.rowNumber !== null) expect(error.rowNumber).toBeGreaterThanOrEqual(1);
          if (error.fieldNumber !== null) expect(error.fieldNumber).toBeGreaterThanOrEqual(1);
          expect(error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws for random bytes, with or without a schema', async () => {
    const schema = readTableSchema({
      fields: [
        { name: 'a', type: 'integer' },
        { name: 'b', type: 'date' },
      ],
    });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (bytes, withSchema) => {
        const report = await validateTable([bytes], { file: 'bytes', schema: withSchema ? schema : null });
        expect(report.stats.bytes).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('reports a mutated cell of a valid file at the row and field mutated', async () => {
    const schema = readTableSchema({
      fields: [
        { name: 'n', type: 'integer' },
        { name: 'd', type: 'date' },
        { name: 'b', type: 'boolean' },
      ],
    });
    const rows = Array.from({ length: 20 }, (_, index) => [
      String(index),
      `2026-01-${String(index + 1).padStart(2, '0')}`,
      index % 2 ? 'true' : 'false',
    ]);
    await fc.assert(
      fc.asyncProperty(fc.nat(19), fc.nat(2), fc.constantFrom('x', '1.5', '2026-13-01', 'yes', '1,000'), async (row, field, bad) => {
        const mutated = rows.map((cells) => [...cells]);
        (mutated[row] as string[])[field] = bad;
        const csv = `n,d,b\n${mutated.map((cells) => cells.map((cell) => (cell.includes(',') ? `"${cell}"` : cell)).join(',')).join('\n')}\n`;
        const report = await validateTable([Buffer.from(csv)], { file: 'm.csv', schema });
        expect(report.errors).toEqual([expect.objectContaining({ type: 'type-error', rowNumber: row + 2, fieldNumber: field + 1 })]);
      }),
      { numRuns: 200 },
    );
  });
});
