import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleForm } from '../../platform/http/handle-form.js';
import { InputError } from '../../platform/errors.js';
import { buildPagination, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { renderHexMap } from '../../platform/views/hex-map.js';
import { requireApiWriter, requireOrganisationMember, requireSignedIn } from '../identity/index.js';
import { renderMarkdown } from './catalogue.markdown.js';
import {
  ADOPTION_LABELS,
  COST_MODEL_LABELS,
  FRESHNESS_MONTHS,
  HOSTING_LABELS,
  KIND_LABELS,
  MAX_COMPARED,
  STATUS_LABELS,
} from './catalogue.labels.js';
import { COMPONENT_KINDS, COST_MODELS, HOSTING_OPTIONS } from './catalogue.tables.js';
import { developmentStatuses } from './publiccode/index.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { breadcrumbs, type CatalogueRoutesOptions, refuseWithoutWriteToken, WRITE_NOTE } from './catalogue.http.js';
import {
  componentBodySchema,
  componentFormSchema,
  componentInputFromForm,
  componentSchema,
  filterSchema,
  formFromComponent,
  many,
  manyField,
  pageFilterSchema,
  slugParams,
  toQuery,
} from './components.schemas.js';
import { adoptionSchema, declarationSchema, stewardshipSchema } from './adoptions.schemas.js';
import {
  componentCsvColumns,
  detailRows,
  englandHexes,
  humanise,
  mapLegend,
  presentCard,
  stewardshipRows,
} from './components.presenters.js';
import { presentAdoption, presentDeclaration } from './adoptions.presenters.js';

/** Components: the list, comparison, each component’s page and publiccode.yml, and publishing or changing one (pages and JSON API). Over 80 lines as a list of route declarations, each a few lines. */
export function registerComponentRoutes(app: FastifyInstance, { catalogueService, listLinkedCaseStudies }: CatalogueRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // ---------- JSON API ----------

  api.get(
    '/api/v1/components',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Components'],
        summary: 'List and search components',
        description:
          'Common components councils share. `q` searches names, summaries, problems and descriptions (full text, and names by likeness). Each item says how many current English councils use it.',
        querystring: filterSchema.extend(pageQuerySchema.shape),
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            items: z.array(componentSchema.extend({ adoption: z.object({ using: z.number().int(), councils: z.number().int() }) })),
          }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      const result = await catalogueService.listComponents({ ...filter, page: csv ? 1 : page, pageSize: csv ? 10_000 : pageSize });
      if (csv) return sendCsv(reply, 'components.csv', componentCsvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/components/:slug',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Components'],
        summary: 'One component, with adoption counted against the register and stewardship health',
        params: slugParams,
        response: {
          200: componentSchema.extend({
            publisher: z.object({ name: z.string(), slug: z.string(), gssCode: z.string().nullable() }).nullable(),
            related: z.array(z.object({ slug: z.string(), name: z.string(), summary: z.string() })),
            adoption: adoptionSchema,
            stewardship: stewardshipSchema,
            declarations: z.array(declarationSchema),
          }),
        },
      },
    },
    async (request) => {
      const detail = await catalogueService.getComponent(request.params.slug);
      return {
        ...detail.component,
        publisher: detail.publisher,
        related: detail.related,
        adoption: presentAdoption(detail.adoption),
        stewardship: detail.stewardship,
        declarations: detail.declarations,
      };
    },
  );

  api.post(
    '/api/v1/components',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Publish a component for your organisation',
        description: WRITE_NOTE,
        body: componentBodySchema,
        response: { 201: componentSchema },
      },
    },
    async (request, reply) => {
      const component = await catalogueService.createComponent(requireApiWriter(request), request.body);
      return reply.status(201).send(component);
    },
  );

  api.put(
    '/api/v1/components/:slug',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Change a component your organisation published',
        description: WRITE_NOTE,
        params: slugParams,
        body: componentBodySchema,
        response: { 200: componentSchema },
      },
    },
    async (request) => catalogueService.updateComponent(requireApiWriter(request), request.params.slug, request.body),
  );

  api.get(
    '/components',
    { config: { publicCache: true }, schema: { hide: true, querystring: pageFilterSchema } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 20;
      const [result, facets] = await Promise.all([
        catalogueService.listComponents(toQuery(filter, page, pageSize)),
        catalogueService.listFacetValues(),
      ]);
      const filterQuery = {
        q: filter.q,
        kind: filter.kind,
        serviceArea: filter.serviceArea,
        status: filter.status,
        licence: filter.licence,
        hosting: filter.hosting,
        sort: filter.sort,
      };
      const options = (value: string | undefined, items: readonly { value: string; text: string }[], anyText: string) => [
        { value: '', text: anyText, selected: !value },
        ...items.map((item) => ({ ...item, selected: item.value === value })),
      ];
      return reply.render('catalogue/views/list.njk', {
        title: 'Components',
        filter: filterQuery,
        total: result.total,
        firstItem: result.total === 0 ? 0 : (page - 1) * pageSize + 1,
        lastItem: Math.min(page * pageSize, result.total),
        rows: result.items.map((item) => presentCard(item)),
        pagination: buildPagination('/components', filterQuery, page, pageSize, result.total),
        kindOptions: options(
          filter.kind,
          COMPONENT_KINDS.map((kind) => ({ value: kind, text: KIND_LABELS[kind] })),
          'Any kind',
        ),
        serviceAreaOptions: options(
          filter.serviceArea,
          facets.serviceAreas.map((area) => ({ value: area, text: humanise(area) })),
          'Any service area',
        ),
        statusOptions: options(
          filter.status,
          developmentStatuses.map((status) => ({ value: status, text: STATUS_LABELS[status] })),
          'Any status',
        ),
        licenceOptions: options(
          filter.licence,
          facets.licences.map((licence) => ({ value: licence, text: licence })),
          'Any licence',
        ),
        hostingOptions: options(
          filter.hosting,
          HOSTING_OPTIONS.map((option) => ({ value: option, text: HOSTING_LABELS[option] })),
          'Any hosting',
        ),
        sortOptions: options(
          filter.sort,
          [
            { value: 'name', text: 'Name' },
            { value: 'updated', text: 'Recently updated' },
          ],
          'Best match',
        ),
        downloadQuery: queryString(filterQuery),
        maxCompared: MAX_COMPARED,
        canPublish: request.actor?.organisationId != null,
      });
    },
  );

  api.get(
    '/components/compare',
    { schema: { hide: true, querystring: z.object({ slugs: manyField }) }, config: { publicCache: true } },
    async (request, reply) => {
      const slugs = many(request.query.slugs);
      try {
        const compared = await catalogueService.compareComponents(slugs);
        return reply.render('catalogue/views/compare.njk', {
          title: compared.length === 1 ? `Compare: ${compared[0]?.component.name ?? ''}` : 'Compare components',
          breadcrumbs: breadcrumbs(),
          columns: compared.map((entry) => ({
            ...presentCard({ ...entry.component, adoption: { using: entry.adoption.using, councils: entry.adoption.councils } }),
            adoptionSummary: entry.adoption,
            stewardship: entry.stewardship,
            stewardshipRows: stewardshipRows(entry.stewardship),
          })),
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return reply.status(400).render('catalogue/views/compare.njk', {
          title: 'Compare components',
          breadcrumbs: breadcrumbs(),
          columns: [],
          errorSummary: [{ text: error.message, href: '/components' }],
          errorMessage: error.message,
        });
      }
    },
  );

  // Publishing a component by form.
  const renderComponentForm = (
    reply: FastifyReply,
    options: { mode: 'new' | 'edit'; values: Record<string, unknown>; slug?: string; error?: InputError },
  ) =>
    reply.render('catalogue/views/form.njk', {
      title:
        options.mode === 'new'
          ? 'Publish a component'
          : `Change ${typeof options.values.name === 'string' ? options.values.name : 'component'}`,
      breadcrumbs: breadcrumbs(),
      mode: options.mode,
      action: options.mode === 'new' ? '/components' : `/components/${options.slug ?? ''}`,
      values: options.values,
      errorSummary: options.error ? formErrors(options.error) : undefined,
      errors: fieldErrors(options.error),
      kindItems: COMPONENT_KINDS.map((kind) => ({ value: kind, text: KIND_LABELS[kind], checked: options.values.kind === kind })),
      statusItems: [
        { value: '', text: 'Not stated', checked: !options.values.developmentStatus },
        ...developmentStatuses.map((status) => ({
          value: status,
          text: STATUS_LABELS[status],
          checked: options.values.developmentStatus === status,
        })),
      ],
      hostingItems: HOSTING_OPTIONS.map((option) => ({
        value: option,
        text: HOSTING_LABELS[option],
        checked: many(options.values.hostingOptions as string | string[] | undefined).includes(option),
      })),
      costItems: [
        { value: '', text: 'Not stated', selected: !options.values.costModel },
        ...COST_MODELS.map((model) => ({ value: model, text: COST_MODEL_LABELS[model], selected: options.values.costModel === model })),
      ],
    });

  api.get('/components/new', { schema: { hide: true } }, async (request, reply) => {
    requireOrganisationMember(request);
    return renderComponentForm(reply.header('Cache-Control', 'no-store'), { mode: 'new', values: { kind: 'software' } });
  });

  api.post('/components', { schema: { hide: true, body: componentFormSchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    return handleForm(reply, {
      input: request.body,
      schema: componentFormSchema,
      act: (form) => catalogueService.createComponent(actor, componentInputFromForm(form)),
      confirm: (component) => ({
        flash: {
          heading: `${component.name} is published in the catalogue`,
          text: 'Councils can now find it, compare it and declare that they use it.',
        },
        redirect: `/components/${component.slug}`,
      }),
      rerender: (formReply, { error }) => renderComponentForm(formReply, { mode: 'new', values: request.body, error }),
    });
  });

  api.get('/components/:slug/edit', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { component } = await catalogueService.getComponent(request.params.slug);
    if (!catalogueService.canEdit(actor, component)) {
      return reply.status(403).render('error.njk', {
        title: 'Not allowed',
        paragraphs: ['Only people at the organisation that published this component can change it.'],
      });
    }
    return renderComponentForm(reply.header('Cache-Control', 'no-store'), {
      mode: 'edit',
      slug: component.slug,
      values: formFromComponent(component),
    });
  });

  api.post('/components/:slug', { schema: { hide: true, params: slugParams, body: componentFormSchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    return handleForm(reply, {
      input: request.body,
      schema: componentFormSchema,
      act: (form) => catalogueService.updateComponent(actor, request.params.slug, componentInputFromForm(form)),
      confirm: (component) => ({
        flash: { heading: `Your changes to ${component.name} are saved` },
        redirect: `/components/${component.slug}`,
      }),
      rerender: (formReply, { error }) =>
        renderComponentForm(formReply, { mode: 'edit', slug: request.params.slug, values: request.body, error }),
    });
  });

  api.get('/components/:slug', { config: { publicCache: true }, schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const detail = await catalogueService.getComponent(request.params.slug);
    const { component, adoption } = detail;
    const hexMap = renderHexMap({
      hexes: englandHexes().hexes,
      layout: englandHexes().layout,
      statusByGssCode: adoption.statusByGssCode,
      legend: mapLegend,
      title: `Councils and ${component.name}`,
      description: `Hex map of England’s district, metropolitan, London borough and unitary councils, one hexagon each, marked by their declaration for ${component.name}. County councils are not on this map.`,
      noStatusLabel: 'No declaration',
      idPrefix: 'adoption-map',
    });
    const card = presentCard({ ...component, adoption: { using: adoption.using, councils: adoption.councils } });
    const actor = request.actor;
    const own = actor ? detail.declarations.find((declaration) => declaration.organisation.id === actor.organisationId) : undefined;
    return reply.render('catalogue/views/show.njk', {
      title: component.name,
      breadcrumbs: breadcrumbs(),
      component: card,
      detailRows: detailRows(card, detail.publisher),
      stewardshipRows: stewardshipRows(detail.stewardship),
      descriptionHtml: renderMarkdown(component.description),
      publisher: detail.publisher,
      related: detail.related,
      adoption,
      statusRows: (['using', 'piloting', 'exploring', 'retired', 'unconfirmed'] as const).map((status) => ({
        label: ADOPTION_LABELS[status],
        count: adoption[status],
      })),
      countyRows: adoption.counties.map((county) => ({ ...county, label: ADOPTION_LABELS[county.freshness] })),
      declarations: detail.declarations.map((declaration) => presentDeclaration(declaration)),
      stewardship: detail.stewardship,
      hexMap,
      canEdit: catalogueService.canEdit(actor, component),
      ownDeclaration: own ? presentDeclaration(own) : null,
      signedIn: actor !== null,
      canDeclare: actor !== null && actor.organisationId !== null && actor.role !== 'supplier',
      freshnessMonths: FRESHNESS_MONTHS,
      linkedCaseStudies: listLinkedCaseStudies ? await listLinkedCaseStudies('component', component.slug) : [],
      linkedCaseStudiesHeading: 'Case studies of councils that used it',
    });
  });
}
