// Helpers of the contract tests over the API (test/integration/contract-*.test.ts): a short
// test terms policy for one account, and the kinds of its evidence log in order.
import { randomUUID } from 'node:crypto';
import { testTermsPolicy } from '../../domain/terms-policy';
import type { System } from './system';

/** Test-only: puts an account on a short terms version (no public API can do this). */
export async function onTestTerms(sys: System, accountId: string, overrides: Parameters<typeof testTermsPolicy>[1]) {
  const version = `test-${randomUUID().slice(0, 8)}`;
  const policy = testTermsPolicy(version, overrides);
  await sys
    .db('terms_versions')
    .insert({ version, published_at: new Date(), text_sha256: '0'.repeat(64), policy: JSON.stringify(policy) });
  await sys.db('accounts').where({ id: accountId }).update({ terms_version: version });
  return policy;
}

/** The kinds of the account's evidence log entries, in order. */
export const evidenceKinds = async (sys: System, accountId: string) =>
  (await sys.db('evidence_log').where({ account_id: accountId }).orderBy('seq')).map((e) => e.kind as string);
