import type { Knex } from 'knex';
import { TERMS_2026_01, TermsPolicy } from '../domain/terms-policy';

/**
 * The policy (durations as data) of a terms version, as published in terms_versions: the record
 * of what each account accepted (accounts.terms_version references it), including the versions
 * staff publish (3.3). Every reader — invoices, contract activities, API routes — loads it here.
 */
export async function loadPolicy(db: Knex | Knex.Transaction, version: string): Promise<TermsPolicy> {
  const row = await db('terms_versions').where({ version }).first('policy');
  if (!row) throw new Error(`unknown terms version ${version}`);
  return row.policy as TermsPolicy;
}

/** Published terms versions: policy (durations as data) and the SHA-256 of the text users accept. */
export const PUBLISHED_TERMS: { policy: TermsPolicy; publishedAt: string; textFile: string; textSha256: string }[] = [
  {
    policy: TERMS_2026_01,
    publishedAt: '2026-01-01T00:00:00.000Z',
    textFile: 'docs/terms/2026-01.txt',
    textSha256: '983dd52a945e5fbb7c4804b78784d1a91d18a8efa0648d6ad2b6afb0b13c9a44',
  },
];

/** Makes sure every published terms version is in the database (idempotent). */
export async function ensureTermsVersions(db: Knex): Promise<void> {
  for (const t of PUBLISHED_TERMS) {
    await db('terms_versions')
      .insert({
        version: t.policy.version,
        published_at: t.publishedAt,
        text_sha256: t.textSha256,
        policy: JSON.stringify(t.policy),
      })
      .onConflict('version')
      .ignore();
  }
}
