/** What a cast returns for a cell that is not of the field's type. */
export const INVALID: unique symbol = Symbol('invalid');
export type Cast = (cell: string) => unknown;

export const isDigit = (code: number) => code >= 48 && code <= 57;
