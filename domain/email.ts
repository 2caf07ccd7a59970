// E-mail addresses: syntax validation and normalisation. No I/O and no Node built-ins.
// Deliberately the practical subset carriers accept: dot-atom local part (no quoted strings,
// no comments), ASCII host name with at least two labels. The local part keeps its case
// (it is case-sensitive by the RFC); the domain is lowercased.

type EmailRejection = 'invalid_email';

export type EmailResult =
  | { ok: true; email: string; domain: string }
  | { ok: false; reason: EmailRejection; input: string };

const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function normaliseEmail(input: string): EmailResult {
  const reject = (): EmailResult => ({ ok: false, reason: 'invalid_email', input });
  const text = input.trim();
  const at = text.lastIndexOf('@');
  if (at <= 0 || text.length > 254) return reject();
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (local.length > 64 || !local.split('.').every((atom) => ATOM.test(atom))) return reject();
  if (domain.length > 253) return reject();
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return reject();
  if (!TLD.test(labels[labels.length - 1])) return reject();
  return { ok: true, email: `${local}@${domain}`, domain };
}
