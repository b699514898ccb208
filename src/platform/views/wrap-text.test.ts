import { describe, expect, it } from 'vitest';
import { wrapText } from './wrap-text.js';

describe('wrapping chart labels', () => {
  it('keeps a short label on one line', () => {
    expect(wrapText('Trafford', 20, 2)).toEqual({ lines: ['Trafford'], shortened: false });
  });

  it('breaks between words onto a second line rather than cutting', () => {
    expect(wrapText('Acme Building Services LTD', 20, 2)).toEqual({ lines: ['Acme Building', 'Services LTD'], shortened: false });
  });

  it('breaks a word longer than a line inside it', () => {
    expect(wrapText('Supercalifragilisticexpialidocious', 20, 2)).toEqual({
      lines: ['Supercalifragilistic', 'expialidocious'],
      shortened: false,
    });
  });

  it('cuts what does not fit in the lines allowed, ending with an ellipsis, and says so', () => {
    const wrapped = wrapText('The Very Long Name of a Supplier Paid by Many Councils', 20, 2);
    expect(wrapped.shortened).toBe(true);
    expect(wrapped.lines).toEqual(['The Very Long Name', 'of a Supplier Paid…']);
    expect(wrapped.lines.every((line) => line.length <= 20)).toBe(true);
  });
});
