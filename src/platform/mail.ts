import type { ColumnType, Generated, Kysely } from 'kysely';
import type * as Nodemailer from 'nodemailer';
import type { Config } from './config.js';
import { lazyRequire } from './lazy-require.js';

const requireNodemailer = lazyRequire<typeof Nodemailer>(import.meta.url, 'nodemailer');

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Extra mail headers, e.g. List-Unsubscribe (RFC 8058); kept in the outbox too. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Sends (or, without a mail server, files in the outbox) one plain-text message. */
  send(message: MailMessage): Promise<void>;
}

export interface MailOutboxTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  body: string;
  created_at: ColumnType<Date, never, never>;
  /** JSON object of extra headers. */
  headers: ColumnType<string, string | undefined, string>;
}

export interface MailTables {
  mail_outbox: MailOutboxTable;
}

export interface OutboxMessage {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  createdAt: Date;
}

/**
 * The mailer for the configuration: SMTP when a host is set; otherwise an outbox table that development and
 * tests read (shown at /dev/outbox outside production), so the platform works with no mail server.
 */
export function createMailer(config: Config['mail'], db: Kysely<MailTables>): Mailer {
  if (config.transport === 'smtp') {
    // Made at the first message, so start-up does not load nodemailer.
    let transport: Nodemailer.Transporter | null = null;
    return {
      async send(message) {
        transport ??= requireNodemailer().createTransport({
          host: config.host,
          port: config.port,
          secure: config.port === 465,
          ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
        });
        await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.headers ? { headers: message.headers } : {}),
        });
      },
    };
  }
  return {
    async send(message) {
      await db
        .insertInto('mail_outbox')
        .values({ recipient: message.to, subject: message.subject, body: message.text, headers: JSON.stringify(message.headers ?? {}) })
        .execute();
    },
  };
}

/** The newest messages in the development outbox. */
export async function listOutbox(db: Kysely<MailTables>, limit = 50): Promise<OutboxMessage[]> {
  const rows = await db.selectFrom('mail_outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, recipient: row.recipient, subject: row.subject, body: row.body, createdAt: row.created_at }));
}
