import type { Opportunity } from './opportunities.service.js';

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** An Atom 1.0 feed (RFC 4287) of open opportunities, newest first, with absolute links under the public base URL. */
export function buildOpportunitiesFeed(options: { baseUrl: string; opportunities: readonly Opportunity[]; now: Date }): string {
  const { baseUrl, opportunities } = options;
  const updated = opportunities.reduce((latest, item) => (item.postedAt > latest ? item.postedAt : latest), '');
  const entries = opportunities.map((item) =>
    [
      '  <entry>',
      `    <id>${xml(`${baseUrl}${item.url}`)}</id>`,
      `    <title>${xml(`${item.role} (${item.kind}), ${item.organisation}`)}</title>`,
      `    <updated>${item.postedAt}</updated>`,
      `    <published>${item.postedAt}</published>`,
      `    <link rel="alternate" type="text/html" href="${xml(`${baseUrl}${item.url}`)}"/>`,
      `    <author><name>${xml(item.organisation)}</name></author>`,
      `    <category term="${xml(item.kind)}"/>`,
      `    <summary type="text">${xml(`${item.place || item.remote}, ${item.lengthMonths} months. Closes ${item.closingDate}. ${item.summary}`)}</summary>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(`${baseUrl}/workforce/opportunities/feed.atom`)}</id>`,
    '  <title>Apprenticeships and secondments – Local Digital Commons</title>',
    `  <updated>${updated || options.now.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${baseUrl}/workforce/opportunities/feed.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${baseUrl}/workforce/opportunities`)}"/>`,
    '  <author><name>Local Digital Commons</name></author>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
