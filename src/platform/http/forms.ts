import type { InputError } from '../errors.js';

/** The GOV.UK error summary's list for a form problem: one line per field, each linking to its field. */
export function formErrors(error: InputError): { text: string; href: string }[] {
  return error.problems.length > 0
    ? error.problems.map((problem) => ({ text: problem.message, href: `#${problem.field}` }))
    : [{ text: error.message, href: '#main-content' }];
}

/** Each field's error message for the form macros (`errorMessage`), the first problem of a field winning. */
export function fieldErrors(error: InputError | undefined): Record<string, { text: string }> {
  const errors: Record<string, { text: string }> = {};
  for (const problem of error?.problems ?? []) errors[problem.field] ??= { text: problem.message };
  return errors;
}
