/**
 * How the register of data standards asks the catalogue for its "data standard" component: through the
 * catalogue's service (never its tables), so a standard is one catalogue record, not two.
 */
import { NotFoundError } from '../../platform/errors.js';
import type { ComponentInput } from '../catalogue/index.js';
import type { StandardComponents } from './data-standards.service.js';

/** The parts of the catalogue's service this module uses (structural, so the module does not import its internals). */
export interface CatalogueForStandards {
  createComponentAsSystem(input: CatalogueComponentInput, publisherOrganisationCode: string | null): Promise<boolean>;
  getComponent(slug: string): Promise<unknown>;
}

/** What the catalogue takes to create a component: its own input shape, so the two never drift apart. */
export type CatalogueComponentInput = ComponentInput;

/** Adapts the catalogue's service; `componentSlug` is the catalogue's own rule for a component's address. */
export function standardComponentsThrough(
  catalogue: () => CatalogueForStandards,
  componentSlug: (name: string) => string,
): StandardComponents {
  return {
    async ensureDataStandardComponent(input) {
      await catalogue().createComponentAsSystem(
        {
          name: input.name,
          kind: 'data-standard',
          summary: input.summary.slice(0, 300),
          description: input.description,
          problem: '',
          serviceAreas: [],
          licence: input.licence,
          codeRepositoryUrl: '',
          documentationUrl: input.documentationUrl,
          developmentStatus: 'stable',
          hostingOptions: [],
          costModel: 'free',
          supportedStandards: ['Frictionless Table Schema'],
          relatedSlugs: [],
          maintainingOrganisations: [input.maintainer],
          funding: '',
          releaseDate: '',
          softwareVersion: '',
          dpiaUrl: '',
          accessibilityStatementUrl: '',
          specificationUrl: input.documentationUrl,
        },
        null,
      );
      return componentSlug(input.name);
    },
    async componentExists(slug) {
      try {
        await catalogue().getComponent(slug);
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    },
  };
}
