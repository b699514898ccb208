import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireApiWriter, requireSignedIn } from '../identity/index.js';
import type { SpendWithdrawalsService } from './spend-withdrawals.service.js';

const fileParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647).describe('The file’s id, as the import reported it') });
const withdrawBody = z.object({ reason: z.string().trim().max(500).optional(), _csrf: z.string().optional() });

const withdrawnSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  status: z.literal('withdrawn'),
  rowsImported: z.number().int().describe('Payments the file held; none of them count any more'),
  totalPence: z.number().int(),
});

/**
 * Withdrawing an imported spend file: a confirmation page, the withdrawal with a success banner, and the same through
 * the API (an organisation admin's token with the write scope). Replacing a file is `commons replace spend` or a
 * withdrawal followed by a new upload.
 */
export function registerSpendWithdrawalRoutes(
  app: FastifyInstance,
  { spendWithdrawalsService }: { spendWithdrawalsService: SpendWithdrawalsService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/spend/files/:id/withdraw', { schema: { hide: true, params: fileParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const file = await spendWithdrawalsService.getWithdrawableFile(request.params.id, actor);
    return reply.header('Cache-Control', 'no-store').render('spend/views/withdraw.njk', { title: `Withdraw ${file.fileName}`, file });
  });

  api.post('/spend/files/:id/withdraw', { schema: { hide: true, params: fileParams, body: withdrawBody } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const file = await spendWithdrawalsService.withdrawSpendFile({ fileId: request.params.id, actor, reason: request.body.reason ?? null });
    return reply.header('Cache-Control', 'no-store').render('spend/views/withdrawn.njk', { title: `${file.fileName} withdrawn`, file });
  });

  api.post(
    '/api/v1/spend/files/:id/withdraw',
    {
      schema: {
        tags: ['Spend'],
        summary: 'Withdraw an imported spend file',
        description:
          'Takes the file’s payments out of every figure; its record, original and an audit entry stay. Needs an API token with the write scope of an organisation admin of the file’s council (or a platform admin).',
        params: fileParams,
        body: z.object({ reason: z.string().trim().max(500).optional() }).optional(),
        response: { 200: withdrawnSchema },
      },
    },
    async (request) => {
      const actor = requireApiWriter(request);
      const file = await spendWithdrawalsService.withdrawSpendFile({
        fileId: request.params.id,
        actor,
        reason: request.body?.reason ?? null,
      });
      return {
        id: file.id,
        fileName: file.fileName,
        status: 'withdrawn' as const,
        rowsImported: file.rowsImported,
        totalPence: file.totalPence,
      };
    },
  );
}
