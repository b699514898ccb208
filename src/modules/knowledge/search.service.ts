import crypto from 'node:crypto';
import type { Actor } from '../../platform/actor.js';
import type { SearchDocumentInput, SearchSource } from '../../platform/search.js';
import type { IndexRow, SearchRepository } from './search.repository.js';

export type { SearchDocumentInput, SearchSource } from '../../platform/search.js';

export interface SearchQuery {
  q: string;
  types?: readonly string[];
  serviceArea?: string;
  region?: string;
  councilType?: string;
  minimumEvidenceLevel?: number;
  page: number;
  pageSize: number;
}

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  url: string;
  /** HTML: the text around the words found, escaped, with each match in <mark>. */
  snippet: string;
  serviceArea: string | null;
  region: string | null;
  councilType: string | null;
  evidenceLevel: number | null;
}

export interface SearchResult {
  total: number;
  items: SearchHit[];
  facets: Record<'type' | 'serviceArea' | 'region' | 'councilType' | 'evidenceLevel', Record<string, number>>;
}

/** A change to a public document, as digests, feeds and webhooks see it. */
export interface LoggedChange {
  id: number;
  type: string;
  key: string;
  change: 'added' | 'updated';
  title: string;
  url: string;
  summary: string;
  topics: string[];
  occurredAt: Date;
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Escapes a headline and turns its match markers into <mark> elements. */
export function highlight(headline: string): string {
  return escapeHtml(headline).replaceAll('⟦', '<mark>').replaceAll('⟧', '</mark>');
}

function toIndexRow(document: SearchDocumentInput): IndexRow {
  const row = {
    type: document.type,
    key: document.key,
    title: document.title.slice(0, 500),
    names: document.names ?? '',
    body: document.body,
    url: document.url,
    serviceArea: document.serviceArea ?? null,
    region: document.region ?? null,
    councilType: document.councilType ?? null,
    evidenceLevel: document.evidenceLevel ?? null,
    visibility: document.visibility,
    ownerOrganisationId: document.ownerOrganisationId ?? null,
    topics: [...new Set([`${document.type}:${document.key}`, ...(document.topics ?? [])])].sort(),
  };
  const contentHash = crypto.createHash('sha256').update(JSON.stringify(row)).digest('hex');
  return { ...row, contentHash, updatedAt: document.updatedAt };
}

function toLoggedChange(row: {
  id: number;
  document_type: string;
  document_key: string;
  change: 'added' | 'updated';
  title: string;
  url: string;
  summary: string;
  topics: string[];
  occurred_at: Date;
}): LoggedChange {
  return {
    id: row.id,
    type: row.document_type,
    key: row.document_key,
    change: row.change,
    title: row.title,
    url: row.url,
    summary: row.summary,
    topics: row.topics,
    occurredAt: row.occurred_at,
  };
}

/** The edits (insertions, deletions, substitutions, swaps of neighbours) that turn one word into another. */
export function editDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** How many slips a word of this length may have and still be taken for the word it looks like. */
const slipsAllowed = (word: string) => (word.length <= 5 ? 1 : word.length <= 9 ? 2 : 3);

const BATCH = 1000;
/** Below this many exact matches, the search also looks for misspellings. */
const FUZZY_BELOW = 3;

/**
 * The one search: every module contributes its records through a SearchSource (wired in src/app/services.ts);
 * the index keeps them current (an incremental refresh after each change, a full rebuild on demand) and logs
 * changes to public records for digests, feeds and webhooks.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createSearchService({
  searchRepository,
  sources: initialSources = [],
  onChanges = () => Promise.resolve(),
}: {
  searchRepository: SearchRepository;
  sources?: readonly SearchSource[];
  /** Told of every logged change (webhook deliveries are queued from here). */
  onChanges?: (changes: readonly LoggedChange[]) => Promise<void>;
}) {
  const sources = new Map<string, SearchSource>(initialSources.map((source) => [source.type, source]));
  let running: Promise<void> | null = null;
  let again = false;

  async function writeDocuments(type: string, documents: readonly SearchDocumentInput[], logChanges: boolean): Promise<void> {
    for (let start = 0; start < documents.length; start += BATCH) {
      const changed = await searchRepository.upsertDocuments(documents.slice(start, start + BATCH).map(toIndexRow));
      if (!logChanges || changed.length === 0) continue;
      const publicRows = await searchRepository.listPublicDocuments(
        type,
        changed.map((row) => row.key),
      );
      // "Added" means new to the public: first seen now, or first public now (a draft published).
      const seen = await searchRepository.listKeysWithChanges(
        type,
        publicRows.map((row) => row.key),
      );
      const logged = await searchRepository.insertChanges(
        publicRows.map((row) => ({
          type,
          key: row.key,
          change: seen.has(row.key) ? 'updated' : 'added',
          title: row.title,
          url: row.url,
          summary: row.body.slice(0, 280),
          topics: row.topics,
        })),
      );
      if (logged.length > 0) await onChanges(logged.map(toLoggedChange));
    }
  }

  /** Indexes one source: all of it (removing what is gone) or what changed since the newest indexed change. */
  async function refreshSource(source: SearchSource, full: boolean): Promise<void> {
    const built = await searchRepository.wasBuilt(source.type);
    const since = full || !built ? undefined : ((await searchRepository.latestUpdateOfType(source.type)) ?? undefined);
    const documents = await source.listSearchDocuments(since);
    await writeDocuments(source.type, documents, built);
    // Records deleted or withdrawn leave at once: the complete list says what belongs, or the source's keys do.
    if (since === undefined || source.listsEverything) {
      await searchRepository.deleteDocumentsNotIn(
        source.type,
        documents.map((document) => document.key),
      );
    } else if (source.listSearchKeys) {
      await searchRepository.deleteDocumentsNotIn(source.type, await source.listSearchKeys());
    }
    if (since === undefined) await searchRepository.markBuilt(source.type, new Date());
  }

  /** The words of a query that misspellings are looked for (the first eight of three letters or more). */
  const queryWords = (q: string) => [...new Set(q.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((word) => word.length >= 3).slice(0, 8);

  /**
   * Each word of a query with the indexed words it looks like (words not spelt as any name spells them), or null
   * when no word has a look-alike (nothing new to search for).
   */
  function lookAlikes(words: readonly string[], similar: Map<string, string[]>): string[][] | null {
    const alternatives = words.map((word) => [
      word,
      ...(similar.get(word) ?? []).filter((candidate) => editDistance(word, candidate) <= slipsAllowed(word)),
    ]);
    return alternatives.some((group) => group.length > 1) ? alternatives : null;
  }

  async function refresh(full: boolean, types?: readonly string[]): Promise<void> {
    for (const source of sources.values()) {
      if (types && !types.includes(source.type)) continue;
      await refreshSource(source, full);
    }
  }

  return {
    /** Adds a module's records to the search (call once at start-up, before the first refresh). */
    registerSource(source: SearchSource): void {
      sources.set(source.type, source);
    },

    /** The types that can be searched and their labels, in the order they were registered. */
    listTypes: (): { type: string; label: string }[] => [...sources.values()].map(({ type, label }) => ({ type, label })),

    /** Brings the index up to date: records changed since the last refresh (or every record, when full). */
    refreshSearchIndex: (options: { full?: boolean; types?: readonly string[] } = {}) => refresh(options.full ?? false, options.types),

    /**
     * Asks for a refresh soon, without waiting (after any change through the web). Refreshes never overlap:
     * a request during one runs once more when it ends, so nothing changed meanwhile is missed.
     */
    requestRefresh(onError: (error: unknown) => void = () => undefined): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await refresh(false);
          } while (again);
        } catch (error) {
          onError(error);
        } finally {
          running = null;
        }
      })();
      return running;
    },

    /** Searches every type the person may see. */
    async search(query: SearchQuery, actor: Actor | null): Promise<SearchResult> {
      const exact = {
        q: query.q,
        types: query.types ?? [],
        serviceArea: query.serviceArea,
        region: query.region,
        councilType: query.councilType,
        minimumEvidenceLevel: query.minimumEvidenceLevel,
        viewer: { organisationId: actor?.organisationId ?? null, seesEverything: actor?.role === 'platform-admin' },
      };
      const totalOf = (rows: readonly { facet: string; value: string; count: number }[]) =>
        rows
          .filter((row) => row.facet === 'type' && (exact.types.length === 0 || exact.types.includes(row.value)))
          .reduce((sum, row) => sum + row.count, 0);
      const offset = (query.page - 1) * query.pageSize;
      // Exact words first; when they find almost nothing, each unknown word also as the indexed words it looks like
      // (the same statement says which, when it finds too little).
      const words = queryWords(query.q);
      let found = await searchRepository.searchPage(exact, query.pageSize, offset, { words, below: FUZZY_BELOW });
      if (totalOf(found.facets) < FUZZY_BELOW) {
        const alternatives = lookAlikes(words, found.similar);
        if (alternatives) found = await searchRepository.searchPage({ ...exact, alternatives }, query.pageSize, offset);
      }
      // The type facet counts every match under the other filters, so the total is its sum over the chosen types.
      const facetRows = found.facets;
      const total = totalOf(facetRows);
      const rows = found.rows;
      const facets: SearchResult['facets'] = { type: {}, serviceArea: {}, region: {}, councilType: {}, evidenceLevel: {} };
      const facetNames = {
        type: 'type',
        service_area: 'serviceArea',
        region: 'region',
        council_type: 'councilType',
        evidence_level: 'evidenceLevel',
      } as const;
      for (const row of facetRows) facets[facetNames[row.facet]][row.value] = row.count;
      return {
        total,
        facets,
        items: rows.map((row) => ({
          type: row.type,
          id: row.key,
          title: row.title,
          url: row.url,
          snippet: highlight(row.snippet),
          serviceArea: row.service_area,
          region: row.region,
          councilType: row.council_type,
          evidenceLevel: row.evidence_level,
        })),
      };
    },

    /** Changes after a change id, up to another, about any of the topics. */
    async listChangesForTopics(afterId: number, upToId: number, topics: readonly string[]): Promise<LoggedChange[]> {
      return (await searchRepository.listChangesForTopics(afterId, upToId, topics)).map(toLoggedChange);
    },

    /** The newest changes about a topic (Atom feeds). */
    async listRecentChanges(topic: string, limit = 50): Promise<LoggedChange[]> {
      return (await searchRepository.listRecentChangesForTopic(topic, limit)).map(toLoggedChange);
    },

    latestChangeId: () => searchRepository.latestChangeId(),
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
