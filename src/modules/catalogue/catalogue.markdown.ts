/**
 * A deliberately small Markdown renderer for component descriptions. Every character of the source is escaped
 * first, so no HTML written in a description ever reaches the page; only the Markdown below becomes markup:
 * paragraphs, headings (rendered two levels below the page's), bulleted and numbered lists, **bold**, *emphasis*,
 * `code`, and [links](https://...) to http, https and mailto addresses only.
 */

/** Renders Markdown as sanitised HTML with GOV.UK classes. */
export function renderMarkdown(source: string): string {
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const html: string[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(lines[0] ?? '');
    if (heading && lines.length === 1) {
      const level = (heading[1] ?? '#').length <= 2 ? 3 : 4;
      const size = level === 3 ? 'govuk-heading-s' : 'govuk-body govuk-!-font-weight-bold';
      html.push(`<h${level} class="${size}">${inline(heading[2] ?? '')}</h${level}>`);
      continue;
    }
    if (lines.every((line) => /^\s*[-*+]\s+/.test(line))) {
      const items = lines.map((line) => `<li>${inline(line.replace(/^\s*[-*+]\s+/, ''))}</li>`);
      html.push(`<ul class="govuk-list govuk-list--bullet">${items.join('')}</ul>`);
      continue;
    }
    if (lines.every((line) => /^\s*\d+[.)]\s+/.test(line))) {
      const items = lines.map((line) => `<li>${inline(line.replace(/^\s*\d+[.)]\s+/, ''))}</li>`);
      html.push(`<ol class="govuk-list govuk-list--number">${items.join('')}</ol>`);
      continue;
    }
    html.push(`<p class="govuk-body">${lines.map((line) => inline(line.trim())).join('<br>')}</p>`);
  }
  return html.join('\n');
}

function inline(text: string): string {
  let escaped = escapeHtml(text);
  escaped = escaped.replace(/`([^`]+)`/g, '<code>$1</code>');
  escaped = escaped.replace(/\[([^\]]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g, (_match, label: string, url: string) => {
    return `<a class="govuk-link" href="${url}">${label}</a>`;
  });
  escaped = escaped.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  escaped = escaped.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  return escaped;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
