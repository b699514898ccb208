import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * Follows a redirect as a browser would, carrying the success message cookie the response set (and the person's own
 * cookie), and returns the page landed on.
 */
export async function followRedirect(app: FastifyInstance, response: LightMyRequestResponse, cookie?: string) {
  const flash = [response.headers['set-cookie'] ?? []]
    .flat()
    .map((value) => value.split(';')[0] ?? '')
    .find((value) => value.startsWith('commons_flash='));
  const cookies = [cookie, flash].filter((value): value is string => Boolean(value));
  return app.inject({ url: String(response.headers.location), headers: cookies.length ? { cookie: cookies.join('; ') } : {} });
}

/** The success banner's heading on a page, or null when it has none. */
export function successBanner(html: string): string | null {
  if (!html.includes('govuk-notification-banner--success')) return null;
  return /<h3 class="govuk-notification-banner__heading">([^<]*)<\/h3>/.exec(html)?.[1]?.trim() ?? null;
}
