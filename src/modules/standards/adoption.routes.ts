import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildPagination, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { DISTRICT_HEX_MAP_FILE, loadHexMap, renderHexMap } from '../../platform/views/hex-map.js';
import { renderAdoptionChart } from './standards.chart.js';
import { BASIS_LABELS } from './standards.labels.js';
import type { StandardsService } from './standards.service.js';
import { figuresSchema, slugParams } from './standards.schemas.js';
import { csvColumnsOf, STATUS_LABELS, TABLES, tableRows } from './standards.presenters.js';

/** How many councils meet each standard: the adoption pages, their tables and the JSON API. Over 80 lines as a list of route declarations, each a few lines. */
export function registerAdoptionRoutes(app: FastifyInstance, { standardsService }: { standardsService: StandardsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/standards/:slug/adoption',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'How many English councils meet a standard',
        description:
          'Counts current English principal councils whose most recent assessment of the standard, decided in the last 24 months, is met. `meeting` = `selfAssessed` + `peerReviewed` + `audited` (each council counted once, at its highest basis). `percentage` is of `councils`, 0 to 100.',
        params: slugParams,
        querystring: z.object({ onDate: z.iso.date().optional().describe('Measure on this date (YYYY-MM-DD, default today)') }),
        response: {
          200: figuresSchema.extend({
            standard: z.object({ slug: z.string(), title: z.string() }),
            onDate: z.string(),
            target: z.number(),
            selfAssessed: z.number().int(),
            peerReviewed: z.number().int(),
            audited: z.number().int(),
            assessedNotMet: z.number().int(),
            byRegion: z.record(z.string(), figuresSchema),
            byCouncilType: z.record(z.string(), figuresSchema),
            quarters: z.array(figuresSchema.extend({ quarter: z.string(), onDate: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const { councilList: _councilList, ...adoption } = await standardsService.measureAdoption(request.params.slug, request.query.onDate);
      return adoption;
    },
  );

  api.get(
    '/api/v1/standards/:slug/adoption/:table',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'One table of the adoption dashboard, as JSON or CSV',
        description:
          '`regions`, `council-types`, `quarters`, or `councils` (every current English council with its status, basis and decision date).',
        params: slugParams.extend({ table: z.enum(TABLES) }),
        querystring: z.object({ format: z.enum(['json', 'csv']).optional(), onDate: z.iso.date().optional() }),
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) }) },
      },
    },
    async (request, reply) => {
      const adoption = await standardsService.measureAdoption(request.params.slug, request.query.onDate);
      const rows = tableRows(adoption, request.params.table);
      if (wantsCsv(request, request.query.format))
        return sendCsv(
          reply,
          `${request.params.slug}-adoption-${request.params.table}.csv`,
          csvColumnsOf(rows, request.params.table),
          rows,
        );
      return { items: rows };
    },
  );

  api.get(
    '/standards/:slug/adoption/councils',
    {
      config: { publicCache: true },
      schema: {
        hide: true,
        params: slugParams,
        querystring: z.object({
          status: z.union([z.enum(['met', 'not-met', 'out-of-date', 'none']), z.literal('')]).optional(),
          region: z.string().max(100).optional(),
          page: z.coerce.number().int().min(1).default(1),
        }),
      },
    },
    async (request, reply) => {
      const adoption = await standardsService.measureAdoption(request.params.slug);
      const { status, region, page } = request.query;
      const matching = adoption.councilList.filter(
        (council) => (!status || council.status === status) && (!region || council.region === region),
      );
      const pageSize = 50;
      const filter = { status: status || undefined, region: region || undefined };
      const regions = Object.keys(adoption.byRegion);
      return reply.render('standards/views/councils.njk', {
        title: `${adoption.standard.title}: every council`,
        adoption,
        total: matching.length,
        firstItem: matching.length === 0 ? 0 : (page - 1) * pageSize + 1,
        lastItem: Math.min(page * pageSize, matching.length),
        rows: matching.slice((page - 1) * pageSize, page * pageSize).map((council) => ({
          ...council,
          statusLabel: STATUS_LABELS[council.status],
          basisLabel: council.basis ? BASIS_LABELS[council.basis] : '',
        })),
        pagination: buildPagination(`/standards/${adoption.standard.slug}/adoption/councils`, filter, page, pageSize, matching.length),
        statusOptions: [
          { value: '', text: 'Any status', selected: !status },
          ...(['met', 'not-met', 'out-of-date', 'none'] as const).map((key) => ({
            value: key,
            text: STATUS_LABELS[key],
            selected: status === key,
          })),
        ],
        regionOptions: [
          { value: '', text: 'Any region', selected: !region },
          ...regions.map((name) => ({ value: name, text: name, selected: region === name })),
        ],
        csvHref: `/api/v1/standards/${adoption.standard.slug}/adoption/councils?format=csv`,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Standards', href: '/standards' },
          { text: `${adoption.standard.title}: adoption`, href: `/standards/${adoption.standard.slug}/adoption` },
        ],
      });
    },
  );

  api.get(
    '/standards/:slug/adoption',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => {
      const adoption = await standardsService.measureAdoption(request.params.slug);
      const status = new Map(
        adoption.councilList.flatMap((council) => (council.gssCode ? [[council.gssCode, council.status] as const] : [])),
      );
      const map = loadHexMap(DISTRICT_HEX_MAP_FILE);
      const englishHexes = map.hexes.filter((hex) => hex.code.startsWith('E'));
      const statusCounts = (['met', 'not-met', 'out-of-date', 'none'] as const).map((key) => ({
        label: STATUS_LABELS[key],
        count: adoption.councilList.filter((council) => council.status === key).length,
      }));
      return reply.render('standards/views/adoption.njk', {
        title: `${adoption.standard.title}: adoption`,
        adoption,
        targetPercentage: adoption.target * 100,
        basisRows: [
          { label: BASIS_LABELS.audited, count: adoption.audited },
          { label: BASIS_LABELS.peer, count: adoption.peerReviewed },
          { label: BASIS_LABELS.self, count: adoption.selfAssessed },
        ],
        statusCounts,
        chartSvg: renderAdoptionChart({
          id: 'adoption-chart',
          title: `Share of English councils meeting the ${adoption.standard.title}, by quarter`,
          points: adoption.quarters.map((quarter) => ({ label: quarter.quarter, percentage: quarter.percentage })),
          targetPercentage: adoption.target * 100,
        }),
        hexMapSvg: renderHexMap({
          hexes: { layout: map.layout, hexes: englishHexes },
          statusByGssCode: status,
          legend: [
            { status: 'met', label: STATUS_LABELS.met, className: 'app-hex--met' },
            { status: 'not-met', label: STATUS_LABELS['not-met'], className: 'app-hex--not-met', colour: '#d4351c' },
            { status: 'out-of-date', label: STATUS_LABELS['out-of-date'], className: 'app-hex--out-of-date', colour: '#505a5f' },
          ],
          noStatusLabel: STATUS_LABELS.none,
          title: `English district and unitary councils and the ${adoption.standard.title}`,
          description: 'Each hexagon is a district, unitary, metropolitan or London borough council. County councils are not on this map.',
          idPrefix: 'adoption-map',
        }),
        downloads: TABLES.map((table) => ({
          table,
          csv: `/api/v1/standards/${adoption.standard.slug}/adoption/${table}?format=csv`,
          json: `/api/v1/standards/${adoption.standard.slug}/adoption/${table}`,
        })),
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Standards', href: '/standards' },
          { text: adoption.standard.title, href: `/standards/${adoption.standard.slug}` },
        ],
      });
    },
  );
}
