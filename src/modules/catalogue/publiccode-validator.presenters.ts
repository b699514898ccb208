import type { PubliccodeIssue, PubliccodeValidation } from './publiccode/index.js';

/** One problem as the report page shows it. */
export interface PresentedIssue {
  id: string;
  field: string;
  severity: 'error' | 'warning';
  place: string;
  line: number;
  column: number;
  message: string;
}

/** The issues of one key, in the order the key first appears in the file. */
export interface PresentedKey {
  field: string;
  label: string;
  issues: PresentedIssue[];
}

export interface ValidationReport {
  valid: boolean;
  version: string | null;
  errorCount: number;
  warningCount: number;
  keys: PresentedKey[];
  /** GOV.UK error summary items: each links to its issue in the report. */
  errorSummary: { text: string; href: string }[];
}

/** Groups a validation's errors and warnings by key for the report page, errors first within each key. */
export function presentValidationReport(validation: PubliccodeValidation): ValidationReport {
  const issues: PresentedIssue[] = [];
  const keys = new Map<string, PresentedKey>();
  const add = (issue: Required<PubliccodeIssue>, severity: PresentedIssue['severity']) => {
    const presented: PresentedIssue = {
      id: `issue-${issues.length + 1}`,
      field: issue.field,
      severity,
      place: `line ${issue.line}, column ${issue.column}`,
      line: issue.line,
      column: issue.column,
      message: issue.message,
    };
    issues.push(presented);
    const group = keys.get(issue.field) ?? { field: issue.field, label: issue.field === '' ? 'The whole file' : issue.field, issues: [] };
    group.issues.push(presented);
    keys.set(issue.field, group);
  };
  for (const error of validation.errors) add(error, 'error');
  for (const warning of validation.warnings) add(warning, 'warning');
  const byFirstPlace = (a: PresentedKey, b: PresentedKey) => firstPlace(a) - firstPlace(b);
  return {
    valid: validation.errors.length === 0,
    version: validation.version,
    errorCount: validation.errors.length,
    warningCount: validation.warnings.length,
    keys: [...keys.values()].sort(byFirstPlace),
    errorSummary: issues
      .filter((issue) => issue.severity === 'error')
      .map((issue) => ({
        text: `${issue.field === '' ? 'The file' : issue.field}, ${issue.place}: ${issue.message}`,
        href: `#${issue.id}`,
      })),
  };
}

function firstPlace(key: PresentedKey): number {
  return Math.min(...key.issues.map((issue) => issue.line * 10_000 + issue.column));
}
