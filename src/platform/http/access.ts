import type { Actor } from '../actor.js';

/** What a refused person needs before they can send a form. */
export type AccessNeed = 'sign-in' | 'organisation' | 'council' | 'admin' | 'supplier' | 'platform-admin';

export interface AccessRefusal {
  /** Why the form is not for them, in a sentence. */
  reason: string;
  /** The ways to get access, most likely first (links on this site, or plain steps). */
  steps: { text: string; href?: string }[];
}

/**
 * Why a person cannot send a form, and how they can get access: sign in, join their council, or ask one of its
 * admins. Pages show this instead of a form the person could not send, or beside the text they already typed when
 * the refusal came only once they sent it.
 */
export function describeAccess(actor: Actor | null, need: AccessNeed, action: string, returnPath: string): AccessRefusal {
  if (!actor)
    return {
      reason: `You need to sign in to ${action}.`,
      steps: [{ text: 'Sign in with your work email address', href: `/sign-in?next=${encodeURIComponent(returnPath)}` }],
    };
  if (actor.organisationId === null)
    return {
      reason: `You need to belong to an organisation to ${action}, and you do not belong to one yet.`,
      steps: [{ text: 'Ask to join your organisation', href: '/account/join' }],
    };
  const organisationName = actor.organisationName ?? 'your organisation';
  const organisationPage = actor.organisationCode ? `/organisations/${encodeURIComponent(actor.organisationCode)}#ways-in` : '/account';
  switch (need) {
    case 'supplier':
      return {
        reason: `Only people at a supplier, with a supplier account, can ${action}. Your account is for ${organisationName}.`,
        steps: [
          {
            text: 'If you work for a supplier, ask the platform’s admins for a supplier account through the feedback link at the top of the page',
          },
        ],
      };
    case 'platform-admin':
      return {
        reason: `Only the platform’s admins can ${action}.`,
        steps: [{ text: 'Ask the platform’s admins through the feedback link at the top of the page' }],
      };
    case 'admin':
      return {
        reason: `Only an admin of ${organisationName} can ${action}.`,
        steps: [{ text: `Ask an admin of ${organisationName}`, href: organisationPage }],
      };
    default:
      return {
        reason: `Only people at a council can ${action}. Your account is for ${organisationName}${actor.role === 'member' || actor.role === 'organisation-admin' ? '' : ` (as ${actor.role.replace('-', ' ')})`}.`,
        steps: [{ text: `See who can help at ${organisationName}`, href: organisationPage }],
      };
  }
}
