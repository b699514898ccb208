import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { DataSharingRepository } from './data-sharing.repository.js';
import type { ValidateInput } from './validation.service.js';
import type { DetailedReport } from './validation/validation.types.js';

/**
 * Published files registered for re-checking against a standard on a schedule (`commons revalidate`), each check a
 * validation report, so a file has a quality score over time.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createWatchedFilesService({
  repository,
  clock,
  fetchTimeoutMs,
  validateAndKeep,
}: {
  repository: DataSharingRepository;
  clock: Clock;
  fetchTimeoutMs: number;
  /** Checks a file and keeps its report (the validation service's own). */
  validateAndKeep: (actor: Actor | null, input: ValidateInput) => Promise<{ id: string; report: DetailedReport }>;
}) {
  async function checkWatchedFile(watched: { id: number; url: string; standard_id: number }, standardSlug: string): Promise<string> {
    const response = await fetch(watched.url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'follow' });
    if (!response.ok || !response.body) throw new InputError(`${watched.url} answered ${response.status}`);
    const stream = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
    const name = new URL(watched.url).pathname.split('/').pop() || watched.url;
    const { id } = await validateAndKeep(null, { fileName: name, stream, standardSlug, watchedFileId: watched.id });
    await repository.markWatchedChecked(watched.id, clock());
    return id;
  }

  return {
    /** Registers a published file's address for re-checking against a standard (the scheduled `commons revalidate`). */
    async registerWatchedFile(actor: Actor, input: { url: string; standardSlug: string }): Promise<number> {
      if (actor.organisationId === null) throw new NotAllowedError('You need to belong to an organisation to register its files');
      let url: URL;
      try {
        url = new URL(input.url.trim());
      } catch {
        throw new InputError('Enter the file’s full web address', [
          { field: 'url', message: 'Enter the file’s full web address, starting https://' },
        ]);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new InputError('Only web addresses can be checked', [{ field: 'url', message: 'Enter an address starting https://' }]);
      const standard = await repository.findStandardBySlug(input.standardSlug);
      if (!standard)
        throw new InputError('Choose a data standard', [{ field: 'standard', message: 'Choose the data standard the file should meet' }]);
      const watched = await repository.insertWatchedFile({
        url: url.toString(),
        standard_id: standard.id,
        organisation_id: actor.organisationId,
        created_by_user_id: actor.userId,
      });
      await repository.recordAudit(actor, {
        action: 'watched-file.registered',
        subjectType: 'watched-file',
        subjectId: watched.id,
        organisationId: actor.organisationId,
        before: null,
        after: { url: watched.url, standard: standard.slug },
      });
      return watched.id;
    },

    /** Re-checks every registered file (the scheduled job); returns how many were checked and which failed to fetch. */
    async recheckWatchedFiles(): Promise<{ checked: number; failed: { url: string; reason: string }[] }> {
      const failed: { url: string; reason: string }[] = [];
      let checked = 0;
      for (const watched of await repository.listWatchedFiles(null)) {
        const standard = (await repository.findStandardsById([watched.standard_id]))[0];
        if (!standard) continue;
        try {
          await checkWatchedFile(watched, standard.slug);
          checked++;
        } catch (error) {
          failed.push({ url: watched.url, reason: (error as Error).message });
        }
      }
      return { checked, failed };
    },

    /** A registered file with its quality score over time. */
    async getWatchedFile(id: number) {
      const watched = await repository.findWatchedFile(id);
      if (!watched) throw new NotFoundError('No registered file has this number');
      const standard = (await repository.findStandardsById([watched.standard_id]))[0];
      const history = await repository.listWatchedHistory(id);
      return {
        id: watched.id,
        url: watched.url,
        standard: standard ? { slug: standard.slug, name: standard.name } : null,
        lastCheckedAt: watched.last_checked_at?.toISOString() ?? null,
        history: history.map((entry) => ({
          reportId: entry.id,
          valid: entry.valid,
          score: entry.quality_score,
          errors: entry.stats.errors,
          rows: entry.stats.rows,
          at: entry.created_at.toISOString(),
        })),
      };
    },

    listWatchedFiles: (organisationId: number | null) => repository.listWatchedFiles(organisationId),
  };
}
