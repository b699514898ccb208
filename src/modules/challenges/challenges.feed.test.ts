import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { organisationId } from '../../../test/support/factories.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { buildChallengesFeed } from './challenges.feed.js';
import type { ChallengeSummary } from './challenges.types.js';

/** An XML element as the small parser below reads it. */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    const value = ENTITIES[entity];
    if (value === undefined) throw new Error(`undefined entity ${whole}`);
    return value;
  });
}

/**
 * A strict, small XML parser for tests: checks the declaration, that every tag is closed in order, that attributes
 * are quoted and unique, that no raw `<` or `&` appears in text, and that there is exactly one root element.
 */
function parseXml(source: string): XmlElement {
  let position = 0;
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    position = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  while (position < source.length) {
    const next = source.indexOf('<', position);
    const text = source.slice(position, next < 0 ? source.length : next);
    if (/&(?!(#x[0-9a-f]+|#\d+|[a-z]+);)/i.test(text)) throw new Error(`raw & in text near ${position}`);
    if (stack.length > 0) (stack[stack.length - 1] as XmlElement).text += decode(text);
    else if (text.trim()) throw new Error(`text outside the root element near ${position}`);
    if (next < 0) break;
    tag.lastIndex = next;
    const match = tag.exec(source);
    if (!match) throw new Error(`malformed tag near ${next}: ${source.slice(next, next + 40)}`);
    const [whole, closing, name = '', attributeText = '', selfClosing] = match;
    position = next + whole.length;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> does not close <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of attributeText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const key = attribute[1] ?? '';
      if (key in attributes) throw new Error(`attribute ${key} repeated on <${name}>`);
      attributes[key] = decode(attribute[2] ?? attribute[3] ?? '');
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error('more than one root element');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name ?? ''}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Checks the elements RFC 4287 requires of a feed and its entries; returns the entries. */
function expectValidAtom(source: string): XmlElement[] {
  const feed = parseXml(source);
  expect(feed.name).toBe('feed');
  expect(feed.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
  const one = (element: XmlElement, name: string) => {
    const found = element.children.filter((child) => child.name === name);
    expect(found, `<${element.name}> has exactly one <${name}>`).toHaveLength(1);
    return found[0] as XmlElement;
  };
  expect(one(feed, 'id').text).toMatch(/^https?:\/\//);
  expect(one(feed, 'title').text.trim()).not.toBe('');
  expect(one(feed, 'updated').text).toMatch(RFC3339);
  const feedHasAuthor = feed.children.some((child) => child.name === 'author');
  const entries = feed.children.filter((child) => child.name === 'entry');
  for (const entry of entries) {
    expect(one(entry, 'id').text).toMatch(/^https?:\/\//);
    expect(one(entry, 'title').text.trim()).not.toBe('');
    expect(one(entry, 'updated').text).toMatch(RFC3339);
    const links = entry.children.filter((child) => child.name === 'link' && (child.attributes.rel ?? 'alternate') === 'alternate');
    expect(links.length, 'an entry without content has an alternate link').toBeGreaterThan(0);
    const authors = entry.children.filter((child) => child.name === 'author');
    expect(feedHasAuthor || authors.length > 0, 'every entry has an author, its own or the feed’s').toBe(true);
    for (const author of authors) expect(one(author, 'name').text.trim()).not.toBe('');
  }
  const ids = entries.map((entry) => one(entry, 'id').text);
  expect(new Set(ids).size, 'entry ids are unique').toBe(ids.length);
  return entries;
}

function challenge(overrides: Partial<ChallengeSummary>): ChallengeSummary {
  return {
    id: 1,
    title: 'A challenge',
    problem: 'A problem',
    serviceArea: 'housing',
    serviceAreaLabel: 'Housing',
    stage: 'identified',
    stageLabel: 'Identified',
    budgetBand: 'unknown',
    budgetBandLabel: 'Not known yet',
    visibility: 'public',
    owner: { name: 'Oxford', code: 'E07000178' },
    sharedBy: 1,
    combinedScale: 0,
    scaleByUnit: [],
    createdAt: '2026-05-01T10:00:00.000Z',
    updatedAt: '2026-05-02T10:00:00.000Z',
    stale: false,
    url: '/challenges/1',
    ...overrides,
  };
}

describe('the Atom feed of challenges', () => {
  it('has every element RFC 4287 requires, with text safely escaped', () => {
    const xml = buildChallengesFeed({
      baseUrl: 'https://commons.example',
      title: 'Challenges',
      selfPath: '/challenges/feed.atom',
      now: new Date('2026-06-01T00:00:00Z'),
      challenges: [
        challenge({
          id: 2,
          url: '/challenges/2',
          title: 'Bins & <recycling> “quotes”',
          owner: { name: 'Brighton & Hove', code: 'E06000043' },
        }),
        challenge({ id: 1 }),
      ],
    });
    const entries = expectValidAtom(xml);
    expect(entries).toHaveLength(2);
    expect(entries[0]?.children.find((child) => child.name === 'title')?.text).toBe('Bins & <recycling> “quotes”');
    expect(entries[0]?.children.find((child) => child.name === 'author')?.children[0]?.text).toBe('Brighton & Hove');
  });

  it('is valid with no entries, dated now', () => {
    const xml = buildChallengesFeed({
      baseUrl: 'https://commons.example',
      title: 'Challenges',
      selfPath: '/challenges/feed.atom',
      now: new Date('2026-06-01T00:00:00Z'),
      challenges: [],
    });
    expect(expectValidAtom(xml)).toEqual([]);
    expect(xml).toContain('<updated>2026-06-01T00:00:00.000Z</updated>');
  });

  it('refuses XML that is not well formed (the checker can fail)', () => {
    expect(() => parseXml('<feed><title>a</feed>')).toThrow(/does not close/);
    expect(() => parseXml('<feed>a & b</feed>')).toThrow(/raw &/);
    expect(() => parseXml('<feed></feed><feed></feed>')).toThrow(/more than one root/);
  });
});

describeEachEngine('GET /challenges/feed.atom', ({ database }) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    const oxford = await organisationId(database().db, 'E07000178');
    const leeds = await organisationId(database().db, 'E08000035');
    await built.services.challengesService.seedChallenge({
      ownerOrganisationId: oxford,
      challenge: {
        title: 'Booking temporary accommodation',
        problem: 'Officers phone round every night for rooms & beds.',
        serviceArea: 'housing',
      },
      sharers: [{ organisationId: leeds, scale: 10 }],
    });
    await built.services.challengesService.seedChallenge({
      ownerOrganisationId: leeds,
      challenge: {
        title: 'Missed bin reports',
        problem: 'Crews do not see missed bin reports until the next day.',
        serviceArea: 'environment-and-waste',
      },
      sharers: [],
    });
    await built.services.challengesService.seedChallenge({
      ownerOrganisationId: leeds,
      challenge: {
        title: 'A draft nobody else sees',
        problem: 'This draft must never appear in the feed.',
        serviceArea: 'housing',
        visibility: 'draft',
      },
      sharers: [],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('is a valid Atom feed of public challenges, newest first', async () => {
    const response = await app.inject('/challenges/feed.atom');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const entries = expectValidAtom(response.body);
    const titles = entries.map((entry) => entry.children.find((child) => child.name === 'title')?.text);
    expect(titles).toEqual(['Missed bin reports', 'Booking temporary accommodation']);
    expect(response.body).not.toContain('A draft nobody else sees');
  });

  it('has a feed per service area', async () => {
    const response = await app.inject('/challenges/feed.atom?serviceArea=housing');
    const entries = expectValidAtom(response.body);
    expect(entries.map((entry) => entry.children.find((child) => child.name === 'title')?.text)).toEqual([
      'Booking temporary accommodation',
    ]);
    expect(response.body).toContain('<title>Challenges in housing – Local Digital Commons</title>');
  });
});
