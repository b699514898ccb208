/**
 * What a module hands to the one search: a record as a document. Modules describe their own records this way
 * (`listSearchDocuments` in their service) and the knowledge module indexes them; no module reads another's tables.
 */
export interface SearchDocumentInput {
  /** The kind of record, e.g. `component`; with `key`, unique. */
  type: string;
  /** The record's stable key within its type (slug, code or number as text). */
  key: string;
  title: string;
  /** Other names the record is known by (short and official names, aliases), weighted like the title. */
  names?: string;
  /** The text to search and to quote in snippets. */
  body: string;
  /** The record's page on this site, a path such as `/components/localgov-drupal`. */
  url: string;
  serviceArea?: string | null;
  region?: string | null;
  councilType?: string | null;
  /** Nesta standard of evidence, 1 to 5, where the record has one. */
  evidenceLevel?: number | null;
  /** `public`, or `organisation`: only the owner's people (and platform admins) may see it. */
  visibility: 'public' | 'organisation';
  ownerOrganisationId?: number | null;
  /** Subjects people can follow, e.g. `component:localgov-drupal`, `service-area:housing`, `region:North West`. */
  topics?: string[];
  /** When the record last changed. */
  updatedAt: Date;
}

/** A module's contribution to the search: the records of one type, all of them or those changed since an instant. */
export interface SearchSource {
  type: string;
  /** Plural label for result groups, e.g. `Components`. */
  label: string;
  listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]>;
  /**
   * True when `listSearchDocuments` always lists every record that belongs in the search (it ignores the instant;
   * sources of few records): whatever it no longer lists leaves the index at the next refresh, not only at a rebuild.
   */
  listsEverything?: boolean;
  /**
   * The keys of every record that belongs in the search now (deleted, withdrawn or unpublished ones left out), for
   * sources that list only changes: what is not among them leaves the index at the next refresh.
   */
  listSearchKeys?(): Promise<string[]>;
}
