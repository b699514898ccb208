/**
 * Infers a Table Schema from a sample when none is given: each column gets the narrowest type every
 * non-empty sampled value casts to, as Frictionless does, so a file can be checked for consistency alone.
 */
import { castFor, INVALID } from './field-cast.js';
import type { FieldType, SchemaField, TableSchema } from './table-schema.js';

const CANDIDATES: FieldType[] = ['integer', 'number', 'boolean', 'date', 'datetime', 'string'];

function baseField(name: string, type: FieldType): SchemaField {
  return {
    name,
    type,
    format: 'default',
    constraints: {},
    missingValues: null,
    trueValues: ['true', 'True', 'TRUE'],
    falseValues: ['false', 'False', 'FALSE'],
    decimalChar: '.',
    groupChar: null,
    bareNumber: true,
    delimiter: ',',
    itemType: null,
  };
}

/** Names from the header (blank or repeated labels get a position-based name) and types from the sample rows. */
export function inferTableSchema(labels: readonly string[], sample: readonly (readonly string[])[]): TableSchema {
  const used = new Set<string>();
  const fields = labels.map((label, index) => {
    let name = label.trim() === '' ? `field${index + 1}` : label;
    if (used.has(name)) name = `${name} (${index + 1})`;
    used.add(name);
    const type =
      CANDIDATES.find((candidate) => {
        const cast = castFor(baseField(name, candidate));
        let seen = 0;
        for (const row of sample) {
          const cell = row[index];
          if (cell === undefined || cell === '') continue;
          seen++;
          if (cast(cell) === INVALID) return false;
        }
        return seen > 0 || candidate === 'string';
      }) ?? 'string';
    return baseField(name, type);
  });
  return { fields, missingValues: [''], primaryKey: [], foreignKeys: [], uniqueKeys: [] };
}
