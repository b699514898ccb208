/** Types of the domain-free table reader: file bytes in, rows of cell strings with their row numbers out. */

/** One row of a table: its cells as text and the 1-based row (spreadsheet) or physical line (CSV) it starts on. */
export interface TabularRow {
  cells: string[];
  line: number;
}

export type TabularKind = 'xlsx' | 'xls' | 'ods' | 'text';

export interface TabularSheet {
  name: string;
  hidden: boolean;
}

/** A spreadsheet opened for reading: its sheets, and each sheet's rows in batches (blank rows are left out). */
export interface TabularWorkbook {
  kind: Exclude<TabularKind, 'text'>;
  sheets: TabularSheet[];
  rows(sheetIndex: number): AsyncIterable<TabularRow[]>;
}

/** A file the table reader cannot read at all (damaged, encrypted, an unsupported variant). */
export class TabularFileError extends Error {
  override readonly name = 'TabularFileError';
}
