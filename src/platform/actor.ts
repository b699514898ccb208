/** What a person may be on the platform. One role each; an organisation admin is also a member. */
export const ROLES = ['member', 'organisation-admin', 'assessor', 'supplier', 'platform-admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  member: 'Member',
  'organisation-admin': 'Organisation admin',
  assessor: 'Assessor',
  supplier: 'Supplier',
  'platform-admin': 'Platform admin',
};

export type TokenScope = 'read' | 'write';

/** Who is making a request: a signed-in person, or a program using one of their API tokens. */
export interface Actor {
  userId: number;
  email: string;
  name: string | null;
  /** Null while a new person waits for an organisation to accept them. */
  organisationId: number | null;
  organisationName: string | null;
  /** The kind of the person's organisation (a council, a supplier…), when known. */
  organisationKind?: string | null;
  /** The code of the person's organisation page (GSS code, or slug), when known. */
  organisationCode?: string | null;
  role: Role;
  via: 'session' | 'token';
  /** Session id when signed in through the browser; token id when through the API. */
  credentialId: number;
  scopes: readonly TokenScope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person or API token holder, or null for the public. Set by the identity module. */
    actor: Actor | null;
  }
}
