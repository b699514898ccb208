import type { Actor } from '../../platform/actor.js';
import type { OrganisationDetail } from './organisations.service.js';

/** One summary card on an organisation's page: a few figures or items from one module, with its links and actions. */
export interface HubCard {
  /** The card's anchor (`#spend`), so other pages and confirmations can link to it. */
  id: string;
  title: string;
  /** Short lines: a figure with its label, or an item with its link. */
  rows: { key: string; value: string; href?: string | undefined }[];
  /** What the card says when there is nothing to show. */
  empty?: string | undefined;
  /** Links shown in the card's header (see all, upload, declare…). */
  actions: { href: string; text: string }[];
}

/**
 * Builds an organisation page's cards. The organisations module knows no other module: the application composes
 * this from each module's service (src/app/organisation-hub.ts) and passes it in.
 */
export type OrganisationHub = (organisation: OrganisationDetail, actor: Actor | null) => Promise<HubCard[]>;
