import crypto from 'node:crypto';
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import { TOPIC_KIND_LABELS } from './knowledge.labels.js';
import type { KnowledgeRepository, KnowledgeTransaction } from './knowledge.repository.js';
import type { DigestFrequency } from './knowledge.tables.js';
import type { LoggedChange, SearchService } from './search.service.js';

export const FREQUENCIES = ['daily', 'weekly'] as const;

/** Reads a topic such as `component:localgov-drupal` or `region:North West`; null when it is not one people can follow. */
export function parseTopic(topic: string): { kind: string; value: string } | null {
  const match = /^([a-z-]+):(.{1,200})$/.exec(topic.trim());
  if (!match?.[1] || !match[2] || !(match[1] in TOPIC_KIND_LABELS)) return null;
  return { kind: match[1], value: match[2].trim() };
}

/** A topic in the pages' words: "Component: localgov-drupal". */
export function describeTopic(topic: string): string {
  const parsed = parseTopic(topic);
  return parsed ? `${TOPIC_KIND_LABELS[parsed.kind]}: ${parsed.value}` : topic;
}

/** The text of a digest: each change once, with its page, then how to stop. */
export function composeDigest(options: {
  frequency: DigestFrequency;
  name: string | null;
  changes: readonly LoggedChange[];
  topics: readonly string[];
  baseUrl: string;
  unsubscribeUrl: string;
}): { subject: string; text: string } {
  const count = options.changes.length;
  const lines = options.changes.map(
    (change) =>
      `- ${change.title} (${change.change === 'added' ? 'new' : 'updated'} ${change.type.replace('-', ' ')})\n  ${options.baseUrl}${change.url}`,
  );
  return {
    subject: `Your ${options.frequency} digest: ${count} change${count === 1 ? '' : 's'} you follow – Local Digital Commons`,
    text: [
      `Hello${options.name ? ` ${options.name}` : ''},`,
      '',
      `Here is what changed since your last ${options.frequency} digest in what you follow (${options.topics.map(describeTopic).join('; ')}).`,
      '',
      ...lines,
      '',
      `Change what you follow: ${options.baseUrl}/subscriptions`,
      `Stop these emails: ${options.unsubscribeUrl}`,
    ].join('\n'),
  };
}

/**
 * Following topics and the digests: each digest (a person and a frequency) remembers the last change it carried, and
 * a run claims the next batch with a conditional update before sending, so no change is sent twice.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createSubscriptionsService({
  knowledgeRepository,
  transaction,
  searchService,
  mailer,
  clock,
  findUserContact,
  publicBaseUrl,
}: {
  knowledgeRepository: KnowledgeRepository;
  transaction: KnowledgeTransaction;
  searchService: Pick<SearchService, 'listChangesForTopics' | 'latestChangeId'>;
  mailer: Mailer;
  clock: Clock;
  findUserContact: (userId: number) => Promise<{ email: string; name: string | null } | null>;
  publicBaseUrl: string;
}) {
  const unsubscribeUrl = (token: string) => `${publicBaseUrl}/api/v1/unsubscribe/${token}`;

  async function ensureDigest(repository: KnowledgeRepository, userId: number, frequency: DigestFrequency, latestChangeId: number) {
    const existing = await repository.findDigest(userId, frequency);
    if (existing) return existing;
    return repository.insertDigest({
      user_id: userId,
      frequency,
      unsubscribe_token: crypto.randomBytes(24).toString('base64url'),
      // A new digest starts from now: it carries changes made after the person followed.
      last_change_id: latestChangeId,
    });
  }

  /** Sends one digest if anything it follows changed; returns whether a message went. */
  async function sendDigest(
    digest: { id: number; user_id: number; frequency: DigestFrequency; unsubscribe_token: string; last_change_id: number },
    upToId: number,
  ): Promise<boolean> {
    const topics = await knowledgeRepository.listTopicsOfDigest(digest.id);
    const changes = await searchService.listChangesForTopics(digest.last_change_id, upToId, topics);
    // Claim the batch first: a second run (or a retry) finds the cursor moved and sends nothing.
    const claimed = await knowledgeRepository.advanceDigest(digest.id, digest.last_change_id, upToId, clock());
    if (!claimed || changes.length === 0) return false;
    const contact = await findUserContact(digest.user_id);
    if (!contact) return false;
    const { subject, text } = composeDigest({
      frequency: digest.frequency,
      name: contact.name,
      changes,
      topics,
      baseUrl: publicBaseUrl,
      unsubscribeUrl: `${publicBaseUrl}/subscriptions/unsubscribe/${digest.unsubscribe_token}`,
    });
    await mailer.send({
      to: contact.email,
      subject,
      text,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl(digest.unsubscribe_token)}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    return true;
  }

  return {
    /** Follows a topic in the person's daily or weekly digest. */
    async follow(actor: Actor, topic: string, frequency: string): Promise<void> {
      const parsed = parseTopic(topic);
      if (!parsed)
        throw new InputError('Choose something to follow', [
          { field: 'topic', message: 'Choose something to follow, such as a service area or a component' },
        ]);
      if (!(FREQUENCIES as readonly string[]).includes(frequency))
        throw new InputError('Choose how often to hear', [{ field: 'frequency', message: 'Choose daily or weekly' }]);
      const latest = await searchService.latestChangeId();
      const normalised = `${parsed.kind}:${parsed.value}`;
      await transaction(async (repository, trx) => {
        const digest = await ensureDigest(repository, actor.userId, frequency as DigestFrequency, latest);
        await repository.addSubscription(digest.id, normalised);
        await recordAuditEvent(trx, actor, {
          action: 'subscription.followed',
          subjectType: 'subscription',
          subjectId: normalised,
          organisationId: null,
          before: null,
          after: { topic: normalised, frequency },
        });
      });
    },

    /** What the person follows. */
    async listFollowing(actor: Actor) {
      const rows = await knowledgeRepository.listSubscriptionsOfUser(actor.userId);
      return rows.map((row) => ({ id: row.id, topic: row.topic, label: describeTopic(row.topic), frequency: row.frequency }));
    },

    /** Stops following one topic. */
    async unfollow(actor: Actor, subscriptionId: number): Promise<void> {
      await transaction(async (repository, trx) => {
        if (!(await repository.deleteSubscription(actor.userId, subscriptionId))) throw new NotFoundError('You do not follow that');
        await recordAuditEvent(trx, actor, {
          action: 'subscription.unfollowed',
          subjectType: 'subscription',
          subjectId: subscriptionId,
          organisationId: null,
          before: null,
          after: null,
        });
      });
    },

    /** The digest a one-click unsubscribe link names, for its confirmation page. */
    async findDigestByToken(token: string): Promise<{ frequency: DigestFrequency }> {
      const digest = await knowledgeRepository.findDigestByToken(token);
      if (!digest) throw new NotFoundError('This unsubscribe link is not in use: you may already have unsubscribed');
      return { frequency: digest.frequency };
    },

    /**
     * One-click unsubscribe (RFC 8058): ends the digest and everything it follows. The link's token is the authority,
     * so a token not in use (already unsubscribed, or never issued) is refused.
     */
    async unsubscribe(token: string, actor: Actor | null = null): Promise<void> {
      await transaction(async (repository, trx) => {
        const digest = await repository.findDigestByToken(token);
        if (!digest) throw new NotAllowedError('This unsubscribe link is not in use: you may already have unsubscribed');
        await repository.deleteDigest(digest.id);
        await recordAuditEvent(trx, actor, {
          action: 'subscription.unsubscribed',
          subjectType: 'digest',
          subjectId: digest.id,
          organisationId: null,
          before: { frequency: digest.frequency },
          after: null,
        });
      });
    },

    /** Sends every digest of a frequency that has news; returns how many messages went. */
    async sendDigests(frequency: DigestFrequency): Promise<number> {
      const upToId = await searchService.latestChangeId();
      let sent = 0;
      for (const digest of await knowledgeRepository.listDigests(frequency)) if (await sendDigest(digest, upToId)) sent += 1;
      return sent;
    },
  };
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
