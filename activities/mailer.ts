// The platform's own e-mail (contract notices, not customers' campaigns). SendGrid when
// SENDGRID_API_KEY is set; otherwise a recording mailer that only writes the `platform_emails`
// table (development, tests). Both record what was sent, so notices can be shown as evidence.
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import { createSendGridClient, type SendGridClient } from './carriers/sendgrid-client';

interface PlatformEmail {
  to: string[];
  subject: string;
  text: string;
  accountId?: string | null;
  /** The notice this e-mail carries (idempotency and evidence link). */
  noticeKey?: string;
}

export interface Mailer {
  readonly transport: 'recording' | 'sendgrid';
  send(email: PlatformEmail): Promise<{ messageId: string | null }>;
}

async function record(
  db: Knex,
  from: string,
  transport: Mailer['transport'],
  e: PlatformEmail,
  providerId: string | null,
) {
  await db('platform_emails').insert({
    notice_key: e.noticeKey ?? null,
    account_id: e.accountId ?? null,
    from_address: from,
    to_addresses: e.to,
    subject: e.subject,
    body: e.text,
    transport,
    provider_message_id: providerId,
  });
}

function createRecordingMailer(db: Knex, from: string): Mailer {
  return {
    transport: 'recording',
    async send(e) {
      await record(db, from, 'recording', e, null);
      return { messageId: null };
    },
  };
}

function createSendGridMailer(db: Knex, config: Config, client?: SendGridClient): Mailer {
  const sg =
    client ??
    createSendGridClient({ apiKey: config.SENDGRID_API_KEY!, baseUrl: config.SENDGRID_BASE_URL, maxSockets: 4 });
  const from = config.PLATFORM_EMAIL_FROM;
  return {
    transport: 'sendgrid',
    async send(e) {
      const [res] = await sg.send({
        // isMultiple: one copy per recipient, none sees the others' addresses.
        from,
        to: e.to,
        subject: e.subject,
        text: e.text,
        isMultiple: e.to.length > 1,
        customArgs: e.noticeKey ? { notice: e.noticeKey } : undefined,
      });
      const messageId = (res?.headers?.['x-message-id'] as string | undefined) ?? null;
      await record(db, from, 'sendgrid', e, messageId);
      return { messageId };
    },
  };
}

/** SendGrid when configured, the recording mailer otherwise. */
export function createMailer(db: Knex, config: Config): Mailer {
  return config.SENDGRID_API_KEY
    ? createSendGridMailer(db, config)
    : createRecordingMailer(db, config.PLATFORM_EMAIL_FROM);
}
