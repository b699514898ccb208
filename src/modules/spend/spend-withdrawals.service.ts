import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, NotAllowedError } from '../../platform/errors.js';
import type { SpendRepository } from './spend.repository.js';
import type { ImportSpendFileInput, SpendFileSummary, SpendImportOutcome, SpendService } from './spend.service.js';
import { spendPolicy } from './spend.policy.js';

/**
 * Withdrawing and replacing imported spend files. A withdrawal deletes the file's transactions in one transaction
 * (the database's statement triggers take them out of every summary: monthly roll-ups, breakdowns, supplier totals,
 * concentration) and keeps the file's record, its original and an audit event. A replacement imports the corrected
 * file first and withdraws the old one only once the new one is imported, so a refused correction changes nothing.
 */
export function createSpendWithdrawalsService({
  spendRepository,
  spendService,
  clock,
}: {
  spendRepository: SpendRepository;
  spendService: Pick<SpendService, 'importSpendFile' | 'getFile'>;
  clock: Clock;
}) {
  /** The file, if this person may withdraw it and it is imported (null actor: a command run on the server). */
  async function requireWithdrawable(fileId: number, actor: Actor | null): Promise<SpendFileSummary> {
    const file = await spendService.getFile(fileId);
    if (actor !== null && !spendPolicy.canWithdrawFileOf(actor, file.organisationId)) {
      throw new NotAllowedError("Only the council's organisation admins can withdraw or replace its spend files");
    }
    if (file.status !== 'imported')
      throw new ConflictError(`${file.fileName} (file ${file.id}) is ${file.status}, not imported: there is nothing to withdraw`);
    return file;
  }

  async function withdraw(file: SpendFileSummary, actor: Actor | null, reason: string | null, replacedBy: number | null): Promise<void> {
    await spendRepository.inTransaction(async (repository) => {
      await repository.withdrawFile(file.id, { at: clock(), by: actor?.userId ?? null, reason, replacedBy });
      await repository.recordAudit(actor, {
        action: replacedBy === null ? 'spend-file.withdrawn' : 'spend-file.replaced',
        subjectType: 'spend-file',
        subjectId: file.id,
        organisationId: file.organisationId,
        before: { status: 'imported', rowsImported: file.rowsImported, totalPence: file.totalPence },
        after: { status: 'withdrawn', reason, replacedByFileId: replacedBy },
      });
    });
  }

  return {
    /** The file a person is about to withdraw, refusing one they may not withdraw (for the confirmation page). */
    async getWithdrawableFile(fileId: number, actor: Actor | null): Promise<SpendFileSummary> {
      return requireWithdrawable(fileId, actor);
    },

    /** Withdraws an imported file: its transactions and every summary built from them go; its record and original stay. */
    async withdrawSpendFile({
      fileId,
      actor = null,
      reason = null,
    }: {
      fileId: number;
      actor?: Actor | null;
      reason?: string | null;
    }): Promise<SpendFileSummary> {
      const file = await requireWithdrawable(fileId, actor);
      await withdraw(file, actor, reason?.trim() || null, null);
      return spendService.getFile(fileId);
    },

    /**
     * Replaces an imported file with a corrected version for the same organisation: the new file is imported, then
     * the old one withdrawn. If the new file is refused or is the same content, the old one stays as it was.
     */
    async replaceSpendFile({
      fileId,
      actor = null,
      reason = null,
      input,
    }: {
      fileId: number;
      actor?: Actor | null;
      reason?: string | null;
      input: Omit<ImportSpendFileInput, 'organisationId' | 'actor'>;
    }): Promise<{ outcome: SpendImportOutcome; replaced: SpendFileSummary | null }> {
      const file = await requireWithdrawable(fileId, actor);
      const outcome = await spendService.importSpendFile({ ...input, organisationId: file.organisationId, actor });
      if (outcome.status !== 'imported' || outcome.fileId === null || outcome.fileId === file.id) return { outcome, replaced: null };
      await withdraw(file, actor, reason?.trim() || `replaced by ${outcome.fileName} (file ${outcome.fileId})`, outcome.fileId);
      return { outcome, replaced: await spendService.getFile(file.id) };
    },
  };
}

export type SpendWithdrawalsService = ReturnType<typeof createSpendWithdrawalsService>;
