/** Public surface of the spend file reader: pure, streaming, no database. */
export type {
  CanonicalField,
  DetectedLayout,
  ParseResult,
  SpendReadOptions,
  SpendReadResult,
  SpendReadStats,
  SpendRecord,
  SpendReject,
  SpendSkipReason,
} from './spend-types.js';
export { SpendFileError } from './spend-types.js';
export { ownCopy } from './own-copy.js';
export { parseAmountPence } from './spend-amount.js';
export { parseSpendDate, type SpendDate } from './spend-date.js';
export { previewSpendBytes, previewSpendFile, readSpendFile } from './spend-reader.js';
export { isRedactedSupplier, normaliseSupplierName, splitTradingName, supplierNameSimilarity, trigrams } from './supplier-name.js';
export { HEADER_SYNONYMS } from './header-synonyms.js';
export { CsvTokenizer } from './csv-tokenizer.js';
export { AdaptiveDecoder, detectEncoding } from './spend-encoding.js';
export { detectDelimiter } from './spend-layout.js';
export { cleanPostcode } from './postcode.js';
