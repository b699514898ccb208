import type { LoggedChange } from './search.service.js';

/** Escapes text for XML content and attributes. */
function xml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** An Atom 1.0 feed (RFC 4287) of the changes about one followed topic, newest first. */
export function buildTopicFeed(options: {
  baseUrl: string;
  title: string;
  selfPath: string;
  changes: readonly LoggedChange[];
  now: Date;
}): string {
  const { baseUrl, changes } = options;
  const updated = changes[0]?.occurredAt.toISOString() ?? options.now.toISOString();
  const entries = changes.map((change) =>
    [
      '  <entry>',
      `    <id>${xml(`${baseUrl}/knowledge/changes/${change.id}`)}</id>`,
      `    <title>${xml(`${change.change === 'added' ? 'New' : 'Updated'}: ${change.title}`)}</title>`,
      `    <updated>${change.occurredAt.toISOString()}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xml(`${baseUrl}${change.url}`)}"/>`,
      `    <category term="${xml(change.type)}"/>`,
      `    <summary type="text">${xml(change.summary)}</summary>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(`${baseUrl}${options.selfPath}`)}</id>`,
    `  <title>${xml(options.title)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${baseUrl}${options.selfPath}`)}"/>`,
    '  <author><name>Local Digital Commons</name></author>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
