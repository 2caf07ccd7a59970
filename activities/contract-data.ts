// The data at the contract's end: the full export returned to the User and its collection link
// (10.2), the deletion of that copy once the window is over, and the destruction of the
// account's personal data with its confirmation notice (Annex 2.4; recipients' data, art. 12).
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { appendEvidence } from '../lib/evidence';
import { COLLECTION_WINDOW_MS, deleteReturnedExport, storeReturnedExport } from './data-return';
import { accountRecipients, sendNotice, type ContractActivityDeps } from './contract-notices';

export function createContractDataActivities(deps: ContractActivityDeps) {
  const { db } = deps;
  return {
    /**
     * 10.2: the full export is written once (activities/data-return.ts) and the User told where
     * to collect it: the notice's link carries its token, valid after the credentials are
     * destroyed, until `availableUntil` (notice + evidence with the manifest's counts and hashes).
     */
    async returnAccountData({ accountId }: { accountId: string }): Promise<{ bytes: number; availableUntil: string }> {
      const availableUntil = new Date(Date.now() + COLLECTION_WINDOW_MS);
      const heartbeat = () => {
        try {
          Context.current().heartbeat();
        } catch {
          /* called outside an activity */
        }
      };
      const stored = await storeReturnedExport(db, accountId, availableUntil, heartbeat);
      const row = await db('account_exports').where({ id: stored.exportId }).first('available_until');
      const until = new Date(row.available_until);
      await db('accounts')
        .where({ id: accountId })
        .update({ data_exported_at: db.raw('coalesce(data_exported_at, now())') });
      await sendNotice(deps, {
        key: `data-return:${accountId}`,
        accountId,
        kind: 'data_returned',
        clause: '10.2',
        acknowledgment: true,
        download: until,
        subject: 'Your data is ready',
        text:
          `As you asked under article 10.2, your data has been exported in full (${stored.manifest.format}:` +
          ' NDJSON ending with a manifest of counts and SHA-256 hashes;' +
          ` ${stored.bytes} bytes, SHA-256 ${stored.sha256}).`,
        payload: {
          exportId: stored.exportId,
          format: stored.manifest.format,
          bytes: stored.bytes,
          sha256: stored.sha256,
          sections: stored.manifest.sections,
          availableUntil: until.toISOString(),
        },
      });
      return { bytes: stored.bytes, availableUntil: until.toISOString() };
    },

    /** Annex 2.4: the returned copy's collection window is over; it is deleted. */
    async deleteReturnedExport({ accountId }: { accountId: string }): Promise<{ deleted: number }> {
      return deleteReturnedExport(db, accountId);
    },

    /**
     * Annex 2.4: destroys the account's personal data (members' identities, credentials) and
     * keeps what the law requires (invoicing identity of the account, invoices, the evidence
     * log). The confirmation notice is prepared in the same transaction, with the recipients
     * captured before their addresses are erased, then sent by `sendContractNotice`.
     */
    async destroyAccountData({ accountId }: { accountId: string }): Promise<{ noticeKey: string }> {
      const noticeKey = `destruction:${accountId}`;
      await db.transaction(async (trx) => {
        const a = await trx('accounts').where({ id: accountId }).forUpdate().first('data_destroyed_at');
        if (!a || a.data_destroyed_at) return;
        const recipients = await accountRecipients(trx, accountId);
        await trx('contract_notices')
          .insert({
            id: randomUUID(),
            key: noticeKey,
            account_id: accountId,
            kind: 'destruction_confirmation',
            clause: 'Annex 2.4',
            recipients,
            subject: 'Confirmation of the destruction of your data',
            body:
              'Your contract has ended. As provided by article 10.2 and Annex 2.4, the personal data ' +
              'held for your account has been destroyed. Records the law requires us to keep (invoices, ' +
              'accounting, evidence of the contract) are retained for their legal period.',
          })
          .onConflict('key')
          .ignore();
        const members = await trx('members').where({ account_id: accountId }).select('id');
        for (const m of members) {
          await trx('members')
            .where({ id: m.id })
            .update({
              username: `destroyed-${m.id}`,
              email: `destroyed-${m.id}@invalid`,
              full_name: 'destroyed',
              password_hash: '!',
              disabled_at: trx.raw('coalesce(disabled_at, now())'),
            });
        }
        await trx('sessions')
          .where({ account_id: accountId })
          .whereNull('revoked_at')
          .update({ revoked_at: trx.fn.now() });
        await trx('api_keys')
          .where({ account_id: accountId })
          .whereNull('revoked_at')
          .update({ revoked_at: trx.fn.now() });
        await trx('account_changes').where({ account_id: accountId }).del();
        await trx('data_subject_requests')
          .where({ account_id: accountId })
          .update({ subject_contact: 'destroyed', details: '' });
        // Recipients' personal data, processed for the User (art. 12): numbers, addresses and
        // template variables are erased; counts, prices and statuses stay for the billing records.
        const recipientsErased = await trx('messages')
          .where({ account_id: accountId })
          .update({ recipient: 'erased', vars: null });
        await trx('recipient_rejections')
          .whereIn('order_id', trx('campaigns').where({ account_id: accountId }).select('order_id'))
          .update({ value: null });
        await trx('suppressions').where({ account_id: accountId }).del();
        await trx('accounts')
          .where({ id: accountId })
          .update({ data_destroyed_at: trx.fn.now(), updated_at: trx.fn.now() });
        await appendEvidence(trx, {
          accountId,
          kind: 'data_destroyed',
          occurredAt: new Date(),
          actor: { type: 'system' },
          payload: { members: members.length, recipientsErased, clause: 'Annex 2.4' },
        });
      });
      return { noticeKey };
    },
  };
}
