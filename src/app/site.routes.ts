import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDependencies } from './app.js';
import { MODULES } from './modules.js';

interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; description?: string; required?: boolean }[];
}

/** What the open data page says. */
const OPEN_DATA_SECTIONS = [
  {
    paragraphs: [
      'Everything public on Local Digital Commons is open data. Every list has CSV and JSON downloads, and the same data is available from a documented JSON API with stable addresses.',
    ],
    links: [
      {
        href: '/api/v1/organisations?format=csv',
        text: 'Register of organisations (CSV)',
        hint: 'every UK council, past and present',
      },
      { href: '/api/v1/organisations?pageSize=1000', text: 'Register of organisations (JSON)' },
      { href: '/api/v1/openapi.json', text: 'OpenAPI 3.1 document' },
      { href: '/api', text: 'API documentation' },
    ],
  },
  {
    heading: 'Licences',
    id: 'licences',
    paragraphs: [
      'The register of councils comes from mySociety’s register of UK local authorities, under the MIT licence.',
      'Spending and contracts data published by councils and by Contracts Finder is reused under the Open Government Licence.',
    ],
  },
];

/** What the about page says. */
const ABOUT_SECTIONS = [
  {
    paragraphs: [
      'England’s 317 councils each buy, build and assure much of the same digital work alone. Local Digital Commons is the shared infrastructure that a sector institute and regional centres of service innovation run for all of them, so a council can solve a problem once.',
      'It is open-source software. Its data comes from councils, from the institute, and from open public sources named with each dataset.',
    ],
  },
  {
    heading: 'Tell us what you think',
    id: 'feedback',
    paragraphs: [
      'This service is new. Tell the institute that runs it what works and what does not through the feedback form, or open an issue in the project’s code repository.',
    ],
    links: [{ href: '/feedback', text: 'Tell us what you think' }],
  },
];

/** What the licence page says: the MIT licence, and where the data licences are. */
const LICENCE_SECTIONS = [
  {
    paragraphs: [
      'Local Digital Commons is open-source software, made by its contributors and released under the MIT licence. Data shown on the service has its own licences, named with each dataset on the open data page.',
    ],
    links: [{ href: '/open-data#licences', text: 'Licences of the data' }],
  },
  {
    heading: 'MIT licence',
    id: 'mit',
    paragraphs: [
      'Copyright (c) Local Digital Commons contributors',
      'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:',
      'The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.',
      'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.',
    ],
  },
];

/** Every operation of the OpenAPI document, as the API documentation page lists them. */
function apiOperations(document: { paths?: Record<string, Record<string, OpenApiOperation>> }) {
  return Object.entries(document.paths ?? {}).flatMap(([pathName, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: pathName,
      summary: operation.summary ?? '',
      description: operation.description ?? '',
      tag: operation.tags?.[0] ?? 'Other',
      parameters: (operation.parameters ?? []).map((parameter) => ({
        name: parameter.name,
        in: parameter.in,
        description: parameter.description ?? '',
        required: parameter.required ?? false,
      })),
    })),
  );
}

/** Pages that belong to the whole site: home, health, API documentation, open data, about. */
export function registerSiteRoutes(app: FastifyInstance, { services, engine, checkDatabase, config, replica }: AppDependencies): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const replicaSchema = z
    .object({
      status: z.enum(['ok', 'down']),
      readsFrom: z.enum(['replica', 'primary']),
      detail: z.string().optional(),
    })
    .optional()
    .describe('Present when a read replica is configured; when it is down, reads are served by the primary.');

  api.get(
    '/healthz',
    {
      schema: {
        tags: ['Platform'],
        summary: 'Health check',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), replica: replicaSchema }),
          503: z.object({ status: z.literal('unavailable'), database: z.enum(['pglite', 'postgres']), replica: replicaSchema }),
        },
      },
    },
    async (_request, reply) => {
      const [healthy, replicaHealth] = await Promise.all([checkDatabase().catch(() => false), replica ? replica.probe() : undefined]);
      const replicaField = replicaHealth ? { replica: replicaHealth } : {};
      if (!healthy) return reply.status(503).send({ status: 'unavailable' as const, database: engine, ...replicaField });
      // A replica that is down is not an outage: the primary serves its reads, and the field says so.
      return { status: 'ok' as const, database: engine, ...replicaField };
    },
  );

  app.get('/api/v1/openapi.json', { config: { publicCache: true }, schema: { hide: true } }, () => app.swagger());

  app.get('/', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
    const principalCouncils = await services.organisationsService.listCurrentPrincipalCouncils('England');
    return reply.render('home.njk', { title: 'Home', principalCouncils: principalCouncils.length, modules: MODULES });
  });

  for (const module of MODULES.filter((entry) => !entry.available)) {
    app.get(module.href, { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.render('coming-soon.njk', { title: module.title, description: module.description }),
    );
  }

  app.get('/api', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) => {
    const document = app.swagger() as { paths?: Record<string, Record<string, OpenApiOperation>> };
    const operations = apiOperations(document);
    const tags = [...new Set(operations.map((operation) => operation.tag))];
    return reply.render('api.njk', {
      title: 'API documentation',
      groups: tags.map((tag) => ({ tag, operations: operations.filter((operation) => operation.tag === tag) })),
    });
  });

  app.get('/open-data', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('prose.njk', {
      title: 'Open data',
      sections: OPEN_DATA_SECTIONS,
    }),
  );

  app.get('/about', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('prose.njk', {
      title: 'About Local Digital Commons',
      sections: ABOUT_SECTIONS,
    }),
  );

  app.get('/accessibility', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('accessibility.njk', { title: 'Accessibility statement', contactEmail: config.contactEmail }),
  );

  app.get('/licence', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('prose.njk', {
      title: 'Licence',
      sections: LICENCE_SECTIONS,
    }),
  );
}
