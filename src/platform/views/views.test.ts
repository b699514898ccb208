import { describe, expect, it } from 'vitest';
import { collapseWhitespace, formatLongDate, formatLongMonth } from './views.js';

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

describe('long months', () => {
  it('writes months as "April 2014"', () => {
    expect(formatLongMonth('2014-04')).toBe('April 2014');
    expect(formatLongMonth('2022-12-31')).toBe('December 2022');
    expect(formatLongMonth(new Date('2026-11-22T10:00:00Z'))).toBe('November 2026');
    expect(formatLongMonth(undefined)).toBe('');
    expect(formatLongMonth('spring')).toBe('spring');
  });
});
