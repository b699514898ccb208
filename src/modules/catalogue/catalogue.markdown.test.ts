import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './catalogue.markdown.js';

describe('component descriptions in Markdown', () => {
  it('renders paragraphs, headings, lists, emphasis, code and links with GOV.UK classes', () => {
    const html = renderMarkdown(
      '# About\n\nA **shared** platform for *councils*.\nSee [the docs](https://example.org/docs).\n\n- one\n- two\n\n1. first\n2. `second`',
    );
    expect(html).toBe(
      [
        '<h3 class="govuk-heading-s">About</h3>',
        '<p class="govuk-body">A <strong>shared</strong> platform for <em>councils</em>.<br>See <a class="govuk-link" href="https://example.org/docs">the docs</a>.</p>',
        '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>',
        '<ol class="govuk-list govuk-list--number"><li>first</li><li><code>second</code></li></ol>',
      ].join('\n'),
    );
  });

  it('never lets HTML or script links through', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) [x](https://a.example/"onmouseover=1)',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('href="https://a.example/&quot;onmouseover=1"');
  });
});
