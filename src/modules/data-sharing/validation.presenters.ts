/** What a data officer reads on a validation report: the verdict, each kind of problem in plain English, and the fix. */
import type { ErrorType, ValidationIssue } from './validation/validation.types.js';

export const PROBLEM_KINDS: Record<ErrorType, { title: string; explanation: string; fix: string }> = {
  'source-error': {
    title: 'The file could not be read as a table',
    explanation: 'Something about the file stops it being read row by row: it is empty, or a quote mark opens a cell that never closes.',
    fix: 'Open the file in a spreadsheet, check it looks like a table with one header row, and save it again as “CSV UTF-8”.',
  },
  'encoding-error': {
    title: 'Characters could not be read',
    explanation: 'Some bytes in the file are not valid text in the file’s character encoding, so letters such as £, é or ’ may be lost.',
    fix: 'Save the file again as “CSV UTF-8 (comma delimited)” from your spreadsheet program.',
  },
  'schema-error': {
    title: 'The schema itself has a problem',
    explanation:
      'The Table Schema the file was checked against does not follow the Table Schema specification, so the file could not be checked.',
    fix: 'Correct the schema at the place named in the message, or choose a standard from the register.',
  },
  'blank-label': {
    title: 'A column has no heading',
    explanation: 'A cell in the header row (row 1) is empty, so nobody can tell what the column holds.',
    fix: 'Type the heading the standard gives for that column in row 1, or delete the column if it is empty.',
  },
  'duplicate-label': {
    title: 'Two columns have the same heading',
    explanation: 'The same heading appears more than once in row 1, so tools cannot tell the columns apart.',
    fix: 'Rename or delete the repeated column so each heading appears once.',
  },
  'missing-label': {
    title: 'A column the standard needs is missing',
    explanation: 'The standard has more columns than the file: the header row stops before the column named here.',
    fix: 'Add the missing column, with the heading shown, in the position the standard gives (it can be left empty where the standard allows).',
  },
  'extra-label': {
    title: 'The file has a column the standard does not have',
    explanation: 'The header row has more columns than the standard, so the extra ones are not part of the published data.',
    fix: 'Delete the extra column, or move what it holds into the column the standard gives for it.',
  },
  'incorrect-label': {
    title: 'A column heading does not match the standard',
    explanation:
      'Columns are checked in order: the heading in this position is not the one the standard gives (it may be spelt differently, or the columns may be in a different order).',
    fix: 'Change the heading to the one shown, or put the columns in the standard’s order.',
  },
  'blank-row': {
    title: 'Empty rows',
    explanation: 'A row has no values at all. Empty rows often mean a total or a gap was left in the spreadsheet.',
    fix: 'Delete the empty rows.',
  },
  'extra-cell': {
    title: 'A row has more values than there are columns',
    explanation: 'The row has a value beyond the last column. This usually means a comma inside a value that is not in quotes.',
    fix: 'Put quotes around values that contain commas (saving from a spreadsheet does this), or remove the stray value.',
  },
  'missing-cell': {
    title: 'A row has fewer values than there are columns',
    explanation: 'The row stops before the last column, so the values after it are missing.',
    fix: 'Add the missing values (or empty cells) so every row has a value for every column.',
  },
  'type-error': {
    title: 'Values of the wrong type',
    explanation:
      'A value is not what the column must hold: for example text in a number column, a number written with commas where the standard does not allow them, or a date in another style or that does not exist (31 February).',
    fix: 'Write the value the way the column’s type and format say (shown with each group), for example dates as 2026-04-30 and numbers without thousands separators unless the standard allows them.',
  },
  'constraint-error': {
    title: 'Values that break a rule of the standard',
    explanation:
      'The value has the right type but breaks a rule the standard sets: it is required and empty, not one of the allowed values, too long, too small or too large, or not in the required pattern.',
    fix: 'Fill in required values and use only the values the rule allows (the rule is quoted with each problem).',
  },
  'unique-error': {
    title: 'Values that must be unique are repeated',
    explanation: 'The column must hold a different value on each row, but a value appears again.',
    fix: 'Give each row its own value, or remove the duplicate row.',
  },
  'primary-key': {
    title: 'Rows with the same identifier',
    explanation: 'The identifier (primary key) of a row is the same as an earlier row’s, so the two rows cannot be told apart.',
    fix: 'Give each row its own identifier, or delete the duplicate.',
  },
  'foreign-key': {
    title: 'References to rows that do not exist',
    explanation:
      'The value should refer to a row in another table (or this one), but no row there has it: for example a service whose organisation is not in the organisations file.',
    fix: 'Correct the reference, or add the missing row to the table it refers to.',
  },
};

export interface ProblemGroup {
  key: string;
  type: ErrorType;
  title: string;
  explanation: string;
  fix: string;
  fieldName: string | null;
  fieldNumber: number | null;
  count: number;
  instances: ValidationIssue[];
  /** For type errors, the type and format the column must have. */
  expected: string | null;
}

/** The verdict sentence: the first thing on the page. */
export function verdictSentence(
  report: { valid: boolean; stats: { rows: number; errors: number }; fileName: string; standardName: string | null },
  rowsWithProblems: number,
): string {
  const against = report.standardName ? ` meets ${report.standardName}` : ' is consistent';
  if (report.valid) return `${report.fileName}${against}: all ${report.stats.rows.toLocaleString('en-GB')} rows passed every check.`;
  const problems = `${report.stats.errors.toLocaleString('en-GB')} problem${report.stats.errors === 1 ? '' : 's'}`;
  return `${report.fileName} does not${report.standardName ? ` meet ${report.standardName}` : ' pass its checks'} yet: ${problems}${rowsWithProblems > 0 ? ` in ${rowsWithProblems.toLocaleString('en-GB')} of ${report.stats.rows.toLocaleString('en-GB')} rows` : ''}. Each kind is explained below with how to fix it.`;
}

/** Problems grouped by kind and column, in the order of the file, each group with its explanation once. */
export function groupProblems(
  errors: readonly ValidationIssue[],
  schemaFields: readonly { name: string; type: string; format: string }[],
): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const error of errors) {
    const key = `${error.type}:${error.fieldNumber ?? 0}`;
    let group = groups.get(key);
    if (!group) {
      const kind = PROBLEM_KINDS[error.type];
      const field = error.fieldNumber ? schemaFields[error.fieldNumber - 1] : undefined;
      group = {
        key,
        type: error.type,
        ...kind,
        fieldName: error.fieldName,
        fieldNumber: error.fieldNumber,
        count: 0,
        instances: [],
        expected: error.type === 'type-error' && field ? describeType(field.type, field.format) : null,
      };
      groups.set(key, group);
    }
    group.count++;
    group.instances.push(error);
  }
  return [...groups.values()];
}

/** A type and format as an officer would say it. */
export function describeType(type: string, format: string): string {
  const legacy = format.startsWith('fmt:') ? format.slice(4) : format;
  switch (type) {
    case 'integer':
      return 'a whole number, such as 42 (no commas, spaces or £)';
    case 'number':
      return format === 'currency'
        ? 'an amount, such as 1234.50 or £1,234.50'
        : 'a number, such as 1234.5 (no commas or £ unless the standard allows them)';
    case 'boolean':
      return 'true or false';
    case 'date':
      return legacy === 'default'
        ? 'a date written year-month-day, such as 2026-04-30'
        : legacy === 'any'
          ? 'a real date, such as 2026-04-30 or 30/04/2026'
          : `a real date written as ${legacy}`;
    case 'datetime':
      return 'a date and time, such as 2026-04-30T14:05:00Z';
    case 'time':
      return 'a time, such as 14:05:00';
    case 'string':
      return format === 'email'
        ? 'an email address'
        : format === 'uri'
          ? 'a full web address starting https://'
          : format === 'uuid'
            ? 'a UUID, such as 0f8fad5b-d9cb-469f-a165-70867728950e'
            : 'text';
    case 'year':
      return 'a year, such as 2026';
    case 'yearmonth':
      return 'a year and month, such as 2026-04';
    default:
      return `${type} (${format})`;
  }
}
