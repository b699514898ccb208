import type { Actor } from '../../platform/actor.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { SpendFileListStatus, SpendFilesQueries } from './spend-files.repository.js';
import { spendPolicy } from './spend.policy.js';
import { presentFile, type SpendFileSummary, type SpendService } from './spend.service.js';

export interface SpendFileListItem extends SpendFileSummary {
  replacedBy: { id: number; fileName: string } | null;
}

/** A council's spending files as people browse them: the list, and one file with what may be done with it. */
export function createSpendFilesService({
  spendFilesQueries,
  spendService,
  organisationsService,
}: {
  spendFilesQueries: SpendFilesQueries;
  spendService: Pick<SpendService, 'getFile'>;
  organisationsService: Pick<OrganisationsService, 'getOrganisation' | 'listOrganisationsByIds'>;
}) {
  async function withReplacements(files: SpendFileSummary[]): Promise<SpendFileListItem[]> {
    const names = await spendFilesQueries.fileNames(
      files.flatMap((file) => (file.replacedByFileId === null ? [] : [file.replacedByFileId])),
    );
    return files.map((file) => {
      const id = file.replacedByFileId;
      const fileName = id === null ? undefined : names.get(id);
      return { ...file, replacedBy: id !== null && fileName !== undefined ? { id, fileName } : null };
    });
  }

  return {
    /** One page of an organisation's files, newest first, optionally of one status. */
    async listOrganisationFiles(code: string, query: { status?: SpendFileListStatus; page: number; pageSize: number }) {
      const organisation = await organisationsService.getOrganisation(code);
      const { total, rows } = await spendFilesQueries.listFilesOf(organisation.id, {
        ...(query.status ? { status: query.status } : {}),
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      });
      return { organisation, total, items: await withReplacements(rows.map(presentFile)) };
    },

    /** One file, its organisation, and whether this person may withdraw or replace it. */
    async getFileDetails(id: number, actor: Actor | null) {
      const [file] = await withReplacements([await spendService.getFile(id)]);
      if (!file) throw new Error('unreachable: one file in, one file out');
      const [organisation] = await organisationsService.listOrganisationsByIds([file.organisationId]);
      const mayChange = actor !== null && spendPolicy.canWithdrawFileOf(actor, file.organisationId);
      return { file, organisation: organisation ?? null, canChange: mayChange && file.status === 'imported' };
    },
  };
}

export type SpendFilesService = ReturnType<typeof createSpendFilesService>;
