import { describe, expect, it } from 'vitest';
import { collapseWhitespace, formatLongDate, formatMonth, formatMonthRange } from './views.js';

describe('collapsing white space in rendered pages', () => {
  it('folds indentation and blank lines between tags into one newline', () => {
    expect(collapseWhitespace('<ul>\n\n    <li>One</li>\n      \n  <li>Two</li>\n</ul>')).toBe('<ul>\n<li>One</li>\n<li>Two</li>\n</ul>');
  });

  it('keeps spaces inside a line, which separate words and inline elements', () => {
    expect(collapseWhitespace('<p>Read <a href="/x">this</a> now</p>')).toBe('<p>Read <a href="/x">this</a> now</p>');
  });

  it('leaves text areas and preformatted text exactly as they are', () => {
    const html = '<div>\n   <textarea name="t">line one\n    indented line\n\n</textarea>\n   <pre>  a\n    b</pre>\n  </div>';
    expect(collapseWhitespace(html)).toBe(
      '<div>\n<textarea name="t">line one\n    indented line\n\n</textarea>\n<pre>  a\n    b</pre>\n</div>',
    );
  });
});

describe('long dates', () => {
  it('writes dates as GOV.UK style asks', () => {
    expect(formatLongDate('2023-04-01')).toBe('1 April 2023');
    expect(formatLongDate(new Date('2026-11-22T10:00:00Z'))).toBe('22 November 2026');
    expect(formatLongDate(null)).toBe('');
    expect(formatLongDate('not a date')).toBe('not a date');
  });
});

describe('months', () => {
  it('writes a month, or the month of a date, as GOV.UK style asks', () => {
    expect(formatMonth('2014-04')).toBe('April 2014');
    expect(formatMonth('2014-12-31')).toBe('December 2014');
    expect(formatMonth(new Date('2026-01-15T23:30:00Z'))).toBe('January 2026');
    expect(formatMonth('2014-13')).toBe('2014-13');
    expect(formatMonth('Unknown')).toBe('Unknown');
    expect(formatMonth(undefined)).toBe('');
  });

  it('writes a range of months without repeating a shared year', () => {
    expect(formatMonthRange('2014-04', '2014-06')).toBe('April to June 2014');
    expect(formatMonthRange('2014-12', '2015-02')).toBe('December 2014 to February 2015');
    expect(formatMonthRange('2014-04', '2014-04')).toBe('April 2014');
    expect(formatMonthRange('2014-04', null)).toBe('April 2014');
  });
});
