import { describe, expect, it } from 'vitest';
import { xmlText } from './xml.js';

describe('xmlText', () => {
  it('escapes markup characters', () => {
    expect(xmlText(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  });

  it('drops every character XML 1.0 forbids and keeps every one it allows', () => {
    expect(xmlText('a\u0000b\u0001c\u000bd\u000ce\u001ff\ufffeg\uffffh')).toBe('abcdefgh');
    expect(xmlText('lone \ud800 and \udfff surrogates')).toBe('lone  and  surrogates');
    expect(xmlText('tab\tline\ncr\r é 中 😀 \u007f \u0085 \ufffd')).toBe('tab\tline\ncr\r é 中 😀 \u007f \u0085 \ufffd');
  });

  it('makes a document an XML parser accepts for every code unit', () => {
    let text = '';
    for (let code = 0; code < 0x10000; code += 1) text += String.fromCharCode(code);
    const cleaned = xmlText(text);
    // XML 1.0 Char production, checked code point by code point.
    for (const character of cleaned) {
      const point = character.codePointAt(0) ?? 0;
      const allowed =
        point === 0x9 ||
        point === 0xa ||
        point === 0xd ||
        (point >= 0x20 && point <= 0xd7ff) ||
        (point >= 0xe000 && point <= 0xfffd) ||
        point >= 0x10000;
      expect(allowed, `U+${point.toString(16)}`).toBe(true);
    }
  });
});
