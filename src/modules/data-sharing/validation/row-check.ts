import { type CompiledField, INVALID } from './field-cast.js';
import type { KeyIndex } from './key-index.js';
import type { TableChecker } from './table-checker.js';

/** Checks a row's cells against every field, leaving the cast value (or null) of each field a key needs in `values`. */
export type RowCheck = (checker: TableChecker, cells: readonly string[], rowNumber: number, values: unknown[]) => void;
/**
 * The per-field part of `checkRow`, written out once per schema as one block per field. In a loop over the fields,
 * one call site would call every field's cast and constraints in turn, which the JavaScript engine can neither
 * inline nor predict; written out, each field's call sites only ever see its own functions (about a tenth faster on
 * `npm run bench:validate`). The generated text holds only field numbers and fixed code: names, patterns and every
 * other part of the schema stay in the closures it is given.
 */
export function compileRowCheck(
  fields: readonly CompiledField[],
  uniqueSeen: readonly (KeyIndex | null)[],
  keyFields: ReadonlySet<number>,
): RowCheck {
  const prelude: string[] = [];
  const body: string[] = [];
  fields.forEach((compiled, i) => {
    // Values are kept only for the fields of primary, unique and foreign keys: no store (nor a boxed number) per other cell.
    const keep = (value: string) => (keyFields.has(i) ? ` values[${i}] = ${value};` : '');
    prelude.push(`const cast${i} = fields[${i}].cast, check${i} = fields[${i}].checkConstraints, missing${i} = fields[${i}].missing;`);
    const isMissing = compiled.onlyEmptyMissing ? `cell${i} === ''` : `missing${i}.has(cell${i})`;
    body.push(`const cell${i} = cells[${i}];
if (cell${i} === undefined) {${keep('null')} checker.missingCell(rowNumber, ${i}); }
else if (${isMissing}) {${keep('null')}${compiled.required ? ` checker.requiredMissing(rowNumber, ${i}, cell${i});` : ''} }
else {
  const value${i} = cast${i}(cell${i});
  if (value${i} === INVALID) {${keep('null')} checker.typeError(rowNumber, ${i}, cell${i}); }
  else {${keep(`value${i}`)}${
    compiled.checkConstraints
      ? `
    const note${i} = check${i}(value${i}, cell${i});
    if (note${i} !== null) checker.constraintError(rowNumber, ${i}, cell${i}, note${i});`
      : ''
  }${uniqueSeen[i] ? `\n    checker.checkUnique(${i}, value${i}, rowNumber, cell${i});` : ''}
  }
}`);
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- built above from field numbers and fixed text only
  const factory = new Function(
    'fields',
    'INVALID',
    `${prelude.join('\n')}\nreturn function checkCells(checker, cells, rowNumber, values) {\n${body.join('\n')}\n};`,
  ) as (fields: readonly CompiledField[], invalid: typeof INVALID) => RowCheck;
  return factory(fields, INVALID);
}
