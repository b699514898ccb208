/** The domain-free table reader: spreadsheet bytes (XLSX, XLS, ODS) to rows of cell text with row numbers. */
export type { TabularKind, TabularRow, TabularSheet, TabularWorkbook } from './tabular-types.js';
export { TabularFileError } from './tabular-types.js';
export { openSpreadsheet, sniffTabularKind } from './spreadsheet.js';
export { formatNumber, formatSerialDate } from './cell-values.js';
