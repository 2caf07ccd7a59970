import type { Knex } from 'knex';

// Staff TOTP enrolment at first login (issue #13, api/staff-enrolment.ts): a member created by an
// admin is not enrolled until they confirm a code of a secret generated at their first login
// (pending_totp_secret, behind a 10-minute enrolment token). Existing members are enrolled.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_members', (t) => {
    t.timestamp('totp_enrolled_at', { useTz: true });
    t.text('pending_totp_secret');
    t.text('enrolment_token_hash');
    t.timestamp('enrolment_expires_at', { useTz: true });
  });
  await knex('staff_members').update({ totp_enrolled_at: knex.ref('created_at') });
}
