import type { ChallengeSummary } from './challenges.types.js';
import { xmlText as xml } from '../../platform/xml.js';

/** An Atom 1.0 feed (RFC 4287) of challenges, newest first, with absolute links under the public base URL. */
export function buildChallengesFeed(options: {
  baseUrl: string;
  title: string;
  selfPath: string;
  challenges: readonly ChallengeSummary[];
  now: Date;
}): string {
  const { baseUrl, challenges } = options;
  const updated = challenges.reduce((latest, challenge) => (challenge.updatedAt > latest ? challenge.updatedAt : latest), '');
  const entries = challenges.map((challenge) =>
    [
      '  <entry>',
      `    <id>${xml(`${baseUrl}${challenge.url}`)}</id>`,
      `    <title>${xml(challenge.title)}</title>`,
      `    <updated>${challenge.updatedAt}</updated>`,
      `    <published>${challenge.createdAt}</published>`,
      `    <link rel="alternate" type="text/html" href="${xml(`${baseUrl}${challenge.url}`)}"/>`,
      `    <author><name>${xml(challenge.owner.name)}</name></author>`,
      `    <category term="${xml(challenge.serviceArea)}" label="${xml(challenge.serviceAreaLabel)}"/>`,
      `    <summary type="text">${xml(
        `${challenge.stageLabel}. Shared by ${challenge.sharedBy} council${challenge.sharedBy === 1 ? '' : 's'}. ${challenge.problem}`,
      )}</summary>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(`${baseUrl}${options.selfPath}`)}</id>`,
    `  <title>${xml(options.title)}</title>`,
    `  <updated>${updated || options.now.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${baseUrl}${options.selfPath}`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${baseUrl}/challenges`)}"/>`,
    '  <author><name>Local Digital Commons</name></author>',
    '  <generator>Local Digital Commons</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
