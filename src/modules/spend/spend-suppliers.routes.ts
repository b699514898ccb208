import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { buildPagination } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendService } from './spend.service.js';
import { formErrors } from '../../platform/http/forms.js';
import { idParamsSchema } from '../../platform/http/ids.js';

const idParams = idParamsSchema;
const csrfField = { _csrf: z.string().optional() };
const PAGE_SIZE = 50;

function requireSupplierManager(request: FastifyRequest): Actor {
  const actor = requireSignedIn(request);
  if (!spendPolicy.canManageSuppliers(actor)) throw new NotAllowedError('Only platform admins can merge, split and match suppliers');
  return actor;
}

/**
 * Admin pages for suppliers: search, one supplier with merge and split, and the queue of uncertain matches.
 * Over 80 lines as a list of route declarations, each handler short.
 */
export function registerSpendSupplierRoutes(app: FastifyInstance, { spendService }: { spendService: SpendService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/manage/spend/suppliers',
    {
      schema: {
        hide: true,
        querystring: z.object({ q: z.string().max(200).optional(), page: z.coerce.number().int().min(1).default(1) }),
      },
    },
    async (request, reply) => {
      requireSupplierManager(request);
      const { q, page } = request.query;
      const { total, rows } = await spendService.listSuppliers({ q, page, pageSize: PAGE_SIZE });
      return reply.header('Cache-Control', 'no-store').render('spend/views/suppliers.njk', {
        title: 'Suppliers',
        q: q ?? '',
        total,
        rows,
        firstItem: (page - 1) * PAGE_SIZE + 1,
        lastItem: (page - 1) * PAGE_SIZE + rows.length,
        pagination: buildPagination('/manage/spend/suppliers', q ? { q } : {}, page, PAGE_SIZE, total),
      });
    },
  );

  const renderSupplier = async (reply: FastifyReply, id: number, error?: InputError, values: Record<string, unknown> = {}) => {
    const supplier = await spendService.getSupplier(id);
    const problem = (field: string) => {
      const found = error?.problems.find((candidate) => candidate.field === field);
      return found ? { text: found.message } : undefined;
    };
    return reply
      .status(error ? 400 : 200)
      .header('Cache-Control', 'no-store')
      .render('spend/views/supplier.njk', {
        title: supplier.name,
        supplier,
        values,
        errorSummary: error ? formErrors(error) : undefined,
        fromError: problem('from'),
        nameError: problem('name'),
        aliasesError: problem('aliases'),
      });
  };

  api.get('/manage/spend/suppliers/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    requireSupplierManager(request);
    return renderSupplier(reply, request.params.id);
  });

  api.post(
    '/manage/spend/suppliers/:id/merge',
    { schema: { hide: true, params: idParams, body: z.object({ from: z.string().max(20).default(''), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSupplierManager(request);
      const from = request.body.from.trim();
      try {
        if (!/^\d+$/.test(from))
          throw new InputError('Enter the number of the supplier to merge into this one', [
            { field: 'from', message: 'Enter the number of the supplier to merge into this one, like 42' },
          ]);
        await spendService.mergeSuppliers({ from: [Number(from)], into: request.params.id, actor });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderSupplier(reply, request.params.id, error, { from });
      }
      return reply.redirect(`/manage/spend/suppliers/${request.params.id}`, 303);
    },
  );

  api.post(
    '/manage/spend/suppliers/:id/split',
    {
      schema: {
        hide: true,
        params: idParams,
        body: z.object({
          name: z.string().max(300).default(''),
          aliases: z.union([z.string().max(500), z.array(z.string().max(500)).max(1000)]).optional(),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSupplierManager(request);
      const aliases = request.body.aliases === undefined ? [] : [request.body.aliases].flat();
      let newId: number;
      try {
        newId = await spendService.splitSupplier({ supplierId: request.params.id, aliases, name: request.body.name, actor });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderSupplier(reply, request.params.id, error, { name: request.body.name, aliases });
      }
      return reply.redirect(`/manage/spend/suppliers/${newId}`, 303);
    },
  );

  api.get(
    '/manage/spend/supplier-matches',
    { schema: { hide: true, querystring: z.object({ page: z.coerce.number().int().min(1).default(1) }) } },
    async (request, reply) => {
      requireSupplierManager(request);
      const { page } = request.query;
      const { total, rows } = await spendService.listMatchReviewQueue({ page, pageSize: PAGE_SIZE });
      return reply.header('Cache-Control', 'no-store').render('spend/views/supplier-matches.njk', {
        title: 'Supplier matches to review',
        total,
        rows: rows.map((row) => ({ ...row, similarityPercent: Math.round(row.similarity * 100) })),
        pagination: buildPagination('/manage/spend/supplier-matches', {}, page, PAGE_SIZE, total),
      });
    },
  );

  for (const decision of ['accept', 'reject'] as const) {
    api.post(
      `/manage/spend/supplier-matches/:id/${decision}`,
      { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
      async (request, reply) => {
        const actor = requireSupplierManager(request);
        await spendService.decideMatchReview({ id: request.params.id, accept: decision === 'accept', actor });
        return reply.redirect('/manage/spend/supplier-matches', 303);
      },
    );
  }
}
