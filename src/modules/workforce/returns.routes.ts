import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { requireSignedIn } from '../identity/index.js';
import { countField, HEADCOUNT, readReturnCsv, readReturnForm, writeReturnCsv } from './return-reader.js';
import type { ReturnsService } from './returns.service.js';
import { DIMENSIONS, emptyCounts, GRADE_BAND_LABELS, GRADE_BANDS, type ReturnCounts } from './workforce.categories.js';

const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
const MAX_UPLOAD_BYTES = 1_000_000;

/** The form's fields for a return, one fieldset per grade band. */
function formSections(counts: ReturnCounts, values: Record<string, string> | undefined, errors: Record<string, { text: string }>) {
  const value = (field: string, count: number) => values?.[field] ?? String(count);
  return GRADE_BANDS.map((grade) => ({
    grade,
    label: GRADE_BAND_LABELS[grade],
    headcount: {
      field: countField(HEADCOUNT, grade),
      value: value(countField(HEADCOUNT, grade), counts.headcount[grade]),
      error: errors[countField(HEADCOUNT, grade)],
    },
    dimensions: DIMENSIONS.map((dimension) => ({
      name: dimension.name,
      code: dimension.code,
      categories: dimension.categories.map((category) => {
        const field = countField(dimension.code, grade, category.code);
        return {
          field,
          label: category.label,
          value: value(field, counts.dimensions[dimension.code]?.[grade]?.[category.code] ?? 0),
          error: errors[field],
        };
      }),
    })),
  }));
}

const crumbs = [
  { text: 'Home', href: '/' },
  { text: 'Workforce', href: '/workforce' },
];

/** The return's form, filled with the return sent before (or the values sent with an error). */
async function renderForm(
  returnsService: ReturnsService,
  reply: FastifyReply,
  actor: Actor,
  year: number,
  options: { values?: Record<string, string>; error?: InputError } = {},
) {
  const existing = await returnsService.getOwnReturn(actor, year);
  const errors = fieldErrors(options.error);
  return reply
    .status(options.error ? 400 : 200)
    .header('Cache-Control', 'no-store')
    .render('workforce/views/return-form.njk', {
      title: existing ? `Correct your ${year} diversity return` : `Send your ${year} diversity return`,
      year,
      existing,
      sections: formSections(existing?.counts ?? emptyCounts(), options.values, errors),
      correctionReason: options.values?.correctionReason ?? '',
      errors,
      errorSummary: options.error ? formErrors(options.error) : undefined,
      breadcrumbs: [...crumbs, { text: 'Your return', href: `/workforce/returns?year=${year}` }],
    });
}

/** The page to upload a return as a CSV file. */
async function renderUpload(
  returnsService: ReturnsService,
  reply: FastifyReply,
  actor: Actor,
  year: number,
  error?: InputError,
  correctionReason = '',
) {
  const existing = await returnsService.getOwnReturn(actor, year);
  return reply
    .status(error ? 400 : 200)
    .header('Cache-Control', 'no-store')
    .render('workforce/views/return-upload.njk', {
      title: existing ? `Correct your ${year} return with a CSV file` : `Upload your ${year} return as a CSV file`,
      year,
      existing,
      correctionReason,
      errors: fieldErrors(error),
      errorSummary: error ? formErrors(error) : undefined,
      dimensions: DIMENSIONS,
      gradeBands: GRADE_BANDS,
      breadcrumbs: [...crumbs, { text: 'Your return', href: `/workforce/returns?year=${year}` }],
    });
}

/** A return's CSV file and the reason for a correction, from a multipart upload; too big when over the limit. */
async function readUpload(request: FastifyRequest): Promise<{ text: string | null; correctionReason: string; tooBig: boolean }> {
  let text: string | null = null;
  let correctionReason = '';
  let tooBig = false;
  for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES } })) {
    if (part.type === 'file') {
      const buffer = await part.toBuffer().catch(() => null);
      if (part.file.truncated || buffer === null) tooBig = true;
      else if (part.fieldname === 'file' && part.filename !== '') text = buffer.toString('utf8');
    } else if (part.fieldname === 'correctionReason') correctionReason = String(part.value);
  }
  return { text, correctionReason, tooBig };
}

/** The page that confirms a return or a correction. */
function donePageView(year: number, version: number) {
  const corrected = version > 1;
  return {
    title: corrected ? 'Correction recorded' : 'Return accepted',
    panel: corrected ? 'Correction recorded' : 'Return accepted',
    panelBody: `${year} diversity return, version ${version}`,
    paragraphs: [
      'Every dimension added up to the headcount of each grade band.',
      corrected
        ? 'The earlier version is kept with your reason for the correction. The next publication of the year’s tables will use this version, checked so that comparing it with earlier tables gives nothing away.'
        : 'Your figures will count in the next publication of the year’s tables. Only counts of 10 or more are published, rounded to the nearest 5; nobody but your organisation’s workforce leads ever sees the return itself.',
    ],
    next: { href: `/workforce/returns?year=${year}`, text: 'See your return' },
  };
}

/**
 * The workforce landing page, the workforce lead's return (form, CSV upload, corrections) and naming leads. Over
 * 80 lines as a list of route declarations, each handler short.
 */
export function registerReturnsRoutes(
  app: FastifyInstance,
  { returnsService, clock }: { returnsService: ReturnsService; clock: () => Date },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const defaultYear = () => clock().getUTCFullYear();

  api.get('/workforce', { config: { publicCache: true }, schema: { hide: true } }, async (request, reply) =>
    reply.render('workforce/views/index.njk', {
      title: 'Workforce',
      isLead: await returnsService.isLead(request.actor),
      isOrganisationAdmin: request.actor?.role === 'organisation-admin',
      signedIn: request.actor !== null,
      breadcrumbs: [{ text: 'Home', href: '/' }],
    }),
  );

  api.get('/workforce/returns', { schema: { hide: true, querystring: yearQuery } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const year = request.query.year ?? defaultYear();
    const [own, years] = await Promise.all([returnsService.getOwnReturn(actor, year), returnsService.listOwnReturnYears(actor)]);
    return reply.header('Cache-Control', 'no-store').render('workforce/views/return.njk', {
      title: `Your organisation’s ${year} diversity return`,
      year,
      own,
      years,
      headcount: own ? GRADE_BANDS.reduce((sum, grade) => sum + own.counts.headcount[grade], 0) : 0,
      breadcrumbs: crumbs,
    });
  });

  api.get('/workforce/returns/form', { schema: { hide: true, querystring: yearQuery } }, async (request, reply) =>
    renderForm(returnsService, reply, requireSignedIn(request), request.query.year ?? defaultYear()),
  );

  api.post(
    '/workforce/returns',
    { schema: { hide: true, body: z.record(z.string(), z.union([z.string(), z.array(z.string())])) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const values = Object.fromEntries(
        Object.entries(request.body).map(([key, value]) => [key, Array.isArray(value) ? (value[0] ?? '') : value]),
      );
      const year = Number(values.year);
      try {
        const result = await returnsService.submitReturn(actor, {
          year,
          result: readReturnForm(values),
          source: 'form',
          correctionReason: values.correctionReason,
        });
        return reply.redirect(`/workforce/returns/done?year=${year}&version=${result.version}`, 303);
      } catch (error) {
        if (!(error instanceof InputError) || !Number.isInteger(year)) throw error;
        return renderForm(returnsService, reply, actor, year, { values, error });
      }
    },
  );

  api.get('/workforce/returns/upload', { schema: { hide: true, querystring: yearQuery } }, async (request, reply) =>
    renderUpload(returnsService, reply, requireSignedIn(request), request.query.year ?? defaultYear()),
  );

  api.post('/workforce/returns/upload', { schema: { hide: true, querystring: yearQuery } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    // The lead check comes before a byte of the file is read.
    const year = request.query.year ?? defaultYear();
    await returnsService.getOwnReturn(actor, year);
    const noFile = new InputError('Choose a CSV file to upload', [{ field: 'file', message: 'Choose a CSV file to upload' }]);
    if (!request.isMultipart()) return renderUpload(returnsService, reply, actor, year, noFile);
    const { text, correctionReason, tooBig } = await readUpload(request);
    if (tooBig)
      return renderUpload(
        returnsService,
        reply,
        actor,
        year,
        new InputError('The file is too big', [{ field: 'file', message: 'The file must be smaller than 1 MB' }]),
      );
    if (text === null) return renderUpload(returnsService, reply, actor, year, noFile, correctionReason);
    try {
      const result = await returnsService.submitReturn(actor, { year, result: readReturnCsv(text), source: 'csv', correctionReason });
      return reply.redirect(`/workforce/returns/done?year=${year}&version=${result.version}`, 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderUpload(returnsService, reply, actor, year, error, correctionReason);
    }
  });

  api.get(
    '/workforce/returns/done',
    { schema: { hide: true, querystring: yearQuery.extend({ version: z.coerce.number().int().min(1).max(10_000).default(1) }) } },
    async (request, reply) => {
      requireSignedIn(request);
      const year = request.query.year ?? defaultYear();
      return reply.header('Cache-Control', 'no-store').render('workforce/views/done.njk', donePageView(year, request.query.version));
    },
  );

  api.get('/workforce/returns/template.csv', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="workforce-return-template.csv"')
      .send(writeReturnCsv(emptyCounts())),
  );

  api.get('/workforce/returns/own.csv', { schema: { hide: true, querystring: yearQuery } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const year = request.query.year ?? defaultYear();
    const own = await returnsService.getOwnReturn(actor, year);
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="workforce-return-${year}.csv"`)
      .send(writeReturnCsv(own?.counts ?? emptyCounts()));
  });

  registerLeadRoutes(app, returnsService);
}

/** Naming the organisation's workforce leads (organisation admins). */
function registerLeadRoutes(app: FastifyInstance, returnsService: ReturnsService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/workforce/leads', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const members = await returnsService.listLeadCandidates(actor);
    return reply.header('Cache-Control', 'no-store').render('workforce/views/leads.njk', {
      title: 'Workforce leads',
      members,
      organisationName: actor.organisationName,
      breadcrumbs: crumbs,
    });
  });

  api.post(
    '/workforce/leads',
    {
      schema: {
        hide: true,
        body: z.object({
          userId: z.coerce.number().int().positive().max(2_147_483_647),
          lead: z.enum(['true', 'false']),
          _csrf: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const lead = request.body.lead === 'true';
      const member = await returnsService.setLead(actor, request.body.userId, lead);
      const who = member.name ?? member.email;
      return reply
        .flash(
          lead
            ? { heading: `${who} is now a workforce lead`, text: 'They can make and correct your organisation’s workforce returns.' }
            : { heading: `${who} is no longer a workforce lead`, text: 'They can no longer see or make your organisation’s returns.' },
        )
        .redirect('/workforce/leads', 303);
    },
  );
}
