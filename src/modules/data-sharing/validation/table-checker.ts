/**
 * Checks the rows of one table against a Table Schema as they stream past, reporting Frictionless errors
 * (same type names, same numbering: the header is row 1, fields count from 1). Memory is flat except for
 * what unique, primary and foreign keys must remember: one entry per distinct key.
 */
import { type CompiledField, compileField, INVALID } from './field-cast.js';
import { KeyIndex } from './key-index.js';
import { compileRowCheck, type RowCheck } from './row-check.js';
import type { TableSchema } from './table-schema.js';
import type { ErrorType, ValidationIssue } from './validation.types.js';

/** Keys of a referenced table, for foreign keys to another resource. */
export type KeyLookup = ReadonlySet<unknown>;

const KEY_SEPARATOR = '\u0000';

/** A key's cells as written, for a message. */
const cellsAt = (cells: readonly string[], indexes: readonly number[]) => indexes.map((index) => cells[index] ?? '').join(', ');

interface KeyCheck {
  fieldIndexes: number[];
  names: string[];
  /** Single-field keys are kept as the value itself (no string made per row); composite ones as joined text. */
  seen: KeyIndex;
  type: 'primary-key' | 'unique-error';
}

interface ForeignKeyCheck {
  fieldIndexes: number[];
  names: string[];
  resource: string;
  referenceNames: string[];
  /** Another resource's keys, or, for a self-reference, the keys this table has shown so far. */
  lookup: KeyLookup | null;
  /** Self-reference: rows whose key was not yet seen, checked again at the end. */
  pending: { rowNumber: number; key: unknown; cells: string }[];
  selfIndexes: number[];
  selfKeys: Set<unknown>;
}

export interface CheckerOptions {
  /** How many errors to keep with their details; all are counted. */
  maxErrors: number;
  lookups?: ReadonlyMap<string, KeyLookup>;
}

export class TableChecker {
  readonly issues: ValidationIssue[] = [];
  readonly counts = new Map<ErrorType, number>();
  rows = 0;
  /** Data rows with at least one error (a row's errors are reported together). */
  rowsWithErrors = 0;
  private lastErrorRow = 0;
  private rowNumber = 1;
  private readonly fields: CompiledField[];
  private readonly keyChecks: KeyCheck[] = [];
  private readonly foreignKeys: ForeignKeyCheck[] = [];
  private readonly uniqueSeen: (KeyIndex | null)[];
  private readonly values: unknown[];
  private readonly needsValues: boolean;
  private readonly checkCells: RowCheck;

  constructor(
    readonly schema: TableSchema,
    private readonly options: CheckerOptions,
  ) {
    const primary = new Set(schema.primaryKey);
    this.fields = schema.fields.map((field, index) =>
      compileField(field, schema.missingValues, primary.has(field.name), `fields[${index}]`),
    );
    this.values = new Array<unknown>(this.fields.length);
    this.uniqueSeen = this.fields.map((field) => (field.unique ? new KeyIndex() : null));
    const indexesOf = (names: string[]) => names.map((name) => schema.fields.findIndex((field) => field.name === name));
    if (schema.primaryKey.length > 0)
      this.keyChecks.push({
        fieldIndexes: indexesOf(schema.primaryKey),
        names: schema.primaryKey,
        seen: new KeyIndex(),
        type: 'primary-key',
      });
    for (const key of schema.uniqueKeys)
      this.keyChecks.push({ fieldIndexes: indexesOf(key), names: key, seen: new KeyIndex(), type: 'unique-error' });
    for (const key of schema.foreignKeys) {
      // A key to another table is checked only when that table's keys are given (a data package); alone, it cannot be.
      if (key.resource !== '' && !options.lookups?.has(key.resource)) continue;
      this.foreignKeys.push({
        fieldIndexes: indexesOf(key.fields),
        names: key.fields,
        resource: key.resource,
        referenceNames: key.referenceFields,
        lookup: key.resource === '' ? null : (options.lookups?.get(key.resource) ?? null),
        pending: [],
        selfIndexes: key.resource === '' ? indexesOf(key.referenceFields) : [],
        selfKeys: new Set(),
      });
    }
    this.needsValues = this.keyChecks.length > 0 || this.foreignKeys.length > 0;
    const keyFields = new Set<number>();
    for (const check of [...this.keyChecks, ...this.foreignKeys]) for (const index of check.fieldIndexes) keyFields.add(index);
    for (const foreignKey of this.foreignKeys) for (const index of foreignKey.selfIndexes) keyFields.add(index);
    this.checkCells = compileRowCheck(this.fields, this.uniqueSeen, keyFields);
  }

  get errorCount(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Records one error; the message is built only for errors that are kept. */
  report(
    type: ErrorType,
    rowNumber: number | null,
    fieldNumber: number | null,
    fieldName: string | null,
    cell: string | null,
    message: () => string,
  ): void {
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    if (rowNumber !== null && rowNumber > 1 && rowNumber !== this.lastErrorRow) {
      this.lastErrorRow = rowNumber;
      this.rowsWithErrors++;
    }
    if (this.issues.length < this.options.maxErrors)
      this.issues.push({ type, rowNumber, fieldNumber, fieldName, cell, message: message() });
  }

  /** Compares the header's labels with the schema's field names, by position. */
  checkHeader(labels: readonly string[]): void {
    const seen = new Map<string, number>();
    const width = Math.max(labels.length, this.fields.length);
    for (let index = 0; index < width; index++) {
      const label = labels[index];
      const name = this.fields[index]?.field.name ?? null;
      const position = index + 1;
      if (label === undefined) {
        this.report(
          'missing-label',
          1,
          position,
          name,
          null,
          () => `Label "${name}" in field at position "${position}" is missing from the header`,
        );
        continue;
      }
      if (label.trim() === '') {
        this.report('blank-label', 1, position, name, label, () => `Label in the header in field at position "${position}" is blank`);
        continue;
      }
      const earlier = seen.get(label);
      if (earlier !== undefined) {
        this.report(
          'duplicate-label',
          1,
          position,
          name,
          label,
          () => `Label "${label}" in the header at position "${position}" is duplicated to a label: at position "${earlier}"`,
        );
        continue;
      }
      seen.set(label, position);
      if (name === null)
        this.report('extra-label', 1, position, null, label, () => `Label "${label}" in the header at position "${position}" is extra`);
      else if (label !== name)
        this.report(
          'incorrect-label',
          1,
          position,
          name,
          label,
          () => `Label "${label}" in field ${name} at position "${position}" does not match the field name in the schema`,
        );
    }
  }

  private isBlank(cells: readonly string[]): boolean {
    for (let index = 0; index < cells.length; index++) {
      const cell = cells[index] as string;
      if (cell === '') continue;
      const field = this.fields[index];
      if (field?.missing.has(cell)) continue;
      return false;
    }
    return true;
  }

  /** Checks one data row (the first call is row 2). */
  checkRow(cells: readonly string[]): void {
    const rowNumber = ++this.rowNumber;
    this.rows++;
    if (this.isBlank(cells)) {
      this.report('blank-row', rowNumber, null, null, null, () => `Row at position "${rowNumber}" is completely blank`);
      return;
    }
    for (let index = this.fields.length; index < cells.length; index++) {
      const cell = cells[index] as string;
      const position = index + 1;
      this.report(
        'extra-cell',
        rowNumber,
        position,
        null,
        cell,
        () => `Row at position "${rowNumber}" has an extra value in field at position "${position}"`,
      );
    }
    this.checkCells(this, cells, rowNumber, this.values);
    if (this.needsValues) this.checkKeys(cells, rowNumber);
  }

  /** A row has fewer cells than the schema has fields. */
  missingCell(rowNumber: number, index: number): void {
    const name = (this.fields[index] as CompiledField).field.name;
    const position = index + 1;
    this.report(
      'missing-cell',
      rowNumber,
      position,
      name,
      '',
      () => `Row at position "${rowNumber}" has a missing cell in field "${name}" at position "${position}"`,
    );
  }
  /** A required field's cell is empty (or one of the missing values). */
  requiredMissing(rowNumber: number, index: number, cell: string): void {
    const name = (this.fields[index] as CompiledField).field.name;
    const position = index + 1;
    this.report('constraint-error', rowNumber, position, name, cell, () =>
      constraintMessage(cell, rowNumber, name, position, 'constraint "required" is "True"'),
    );
  }
  /** A cell is not of its field's type or format. */
  typeError(rowNumber: number, index: number, cell: string): void {
    const compiled = this.fields[index] as CompiledField;
    const name = compiled.field.name;
    const position = index + 1;
    this.report(
      'type-error',
      rowNumber,
      position,
      name,
      cell,
      () =>
        `Type error in the cell "${cell}" in row "${rowNumber}" and field "${name}" at position "${position}": type is "${compiled.typeLabel}"`,
    );
  }
  /** A value breaks a constraint; the note says which. */
  constraintError(rowNumber: number, index: number, cell: string, note: string): void {
    const name = (this.fields[index] as CompiledField).field.name;
    const position = index + 1;
    this.report('constraint-error', rowNumber, position, name, cell, () => constraintMessage(cell, rowNumber, name, position, note));
  }
  /** A field with the unique constraint: the value is remembered and a repeat reported. */
  checkUnique(index: number, value: unknown, rowNumber: number, cell: string): void {
    const compiled = this.fields[index] as CompiledField;
    const seen = this.uniqueSeen[index] as KeyIndex;
    const key = typeof value === 'object' ? compiled.key(value) : value;
    const first = seen.firstRowOrRemember(key, rowNumber);
    if (first === 0) return;
    const name = compiled.field.name;
    const position = index + 1;
    this.report(
      'unique-error',
      rowNumber,
      position,
      name,
      cell,
      () =>
        `Row at position "${rowNumber}" has unique constraint violation in field "${name}" at position "${position}": the same as in the row at position ${first}`,
    );
  }

  private keyOf(indexes: readonly number[]): unknown {
    if (indexes.length === 1) {
      const value = this.values[indexes[0] as number];
      if (value === null || value === undefined) return null;
      return typeof value === 'object' ? (this.fields[indexes[0] as number] as CompiledField).key(value) : value;
    }
    let key = '';
    for (let k = 0; k < indexes.length; k++) {
      const value = this.values[indexes[k] as number];
      if (value === null || value === undefined) return null;
      key += (k === 0 ? '' : KEY_SEPARATOR) + (this.fields[indexes[k] as number] as CompiledField).key(value);
    }
    return key;
  }

  private checkKeys(cells: readonly string[], rowNumber: number): void {
    for (const check of this.keyChecks) {
      const key = this.keyOf(check.fieldIndexes);
      if (key === null) continue;
      const first = check.seen.firstRowOrRemember(key, rowNumber);
      if (first === 0) continue;
      const names = check.names.join(', ');
      const cell = check.fieldIndexes.map((index) => cells[index] ?? '').join(', ');
      const position = (check.fieldIndexes[0] ?? 0) + 1;
      if (check.type === 'primary-key')
        this.report(
          'primary-key',
          rowNumber,
          position,
          names,
          cell,
          () => `Row at position "${rowNumber}" violates the primary key (${names}): the same as in the row at position ${first}`,
        );
      else
        this.report(
          'unique-error',
          rowNumber,
          position,
          names,
          cell,
          () =>
            `Row at position "${rowNumber}" has unique constraint violation in fields "${names}": the same as in the row at position ${first}`,
        );
    }
    for (const foreignKey of this.foreignKeys) {
      if (foreignKey.lookup === null) {
        const own = this.keyOf(foreignKey.selfIndexes);
        if (own !== null) foreignKey.selfKeys.add(own);
      }
      const key = this.keyOf(foreignKey.fieldIndexes);
      if (key === null) continue;
      // The cells as written are joined only for a key not (yet) found: nothing is made per row that passes.
      if (foreignKey.lookup === null) {
        if (!foreignKey.selfKeys.has(key)) foreignKey.pending.push({ rowNumber, key, cells: cellsAt(cells, foreignKey.fieldIndexes) });
      } else if (!foreignKey.lookup.has(key)) this.reportForeignKey(foreignKey, rowNumber, cellsAt(cells, foreignKey.fieldIndexes));
    }
  }

  private reportForeignKey(foreignKey: ForeignKeyCheck, rowNumber: number, cell: string): void {
    const position = (foreignKey.fieldIndexes[0] ?? 0) + 1;
    const table = foreignKey.resource === '' ? 'this table' : `the table "${foreignKey.resource}"`;
    this.report(
      'foreign-key',
      rowNumber,
      position,
      foreignKey.names.join(', '),
      cell,
      () =>
        `Row at position "${rowNumber}" violates the foreign key: for "${foreignKey.names.join(', ')}": values "${cell}" not found in ${table} as "${foreignKey.referenceNames.join(', ')}"`,
    );
  }

  /** Ends the table: self-references are checked against every row seen. */
  finish(): void {
    for (const foreignKey of this.foreignKeys) {
      for (const pending of foreignKey.pending)
        if (!foreignKey.selfKeys.has(pending.key)) this.reportForeignKey(foreignKey, pending.rowNumber, pending.cells);
      foreignKey.pending = [];
    }
    this.issues.sort((a, b) => (a.rowNumber ?? 0) - (b.rowNumber ?? 0) || (a.fieldNumber ?? 0) - (b.fieldNumber ?? 0));
  }
}

function constraintMessage(cell: string, rowNumber: number, name: string, position: number, note: string): string {
  return `The cell "${cell}" in row at position "${rowNumber}" and field "${name}" at position "${position}" does not conform to a constraint: ${note}`;
}

/** The keys a referenced table holds in the given fields, for another table's foreign key. */
export function collectKeys(
  schema: TableSchema,
  fieldNames: readonly string[],
): { add: (cells: readonly string[]) => void; keys: Set<unknown> } {
  const compiled = fieldNames.map((name) => {
    const index = schema.fields.findIndex((field) => field.name === name);
    const field = schema.fields[index];
    if (!field) throw new Error(`no field ${name}`);
    return { index, compiled: compileField(field, schema.missingValues, false, name) };
  });
  const keys = new Set<unknown>();
  return {
    keys,
    add(cells) {
      if (compiled.length === 1) {
        const { index, compiled: field } = compiled[0] as (typeof compiled)[number];
        const cell = cells[index];
        if (cell === undefined || field.missing.has(cell)) return;
        const value = field.cast(cell);
        if (value !== INVALID) keys.add(typeof value === 'object' ? field.key(value) : value);
        return;
      }
      let key = '';
      for (let k = 0; k < compiled.length; k++) {
        const { index, compiled: field } = compiled[k] as (typeof compiled)[number];
        const cell = cells[index];
        if (cell === undefined || field.missing.has(cell)) return;
        const value = field.cast(cell);
        if (value === INVALID) return;
        key += (k === 0 ? '' : KEY_SEPARATOR) + field.key(value);
      }
      keys.add(key);
    },
  };
}
