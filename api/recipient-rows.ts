// One recipient row of a send (single, inline JSON or CSV upload): validated, normalised, rendered
// and priced. Pure (no I/O): the upload stream calls it per row before COPY, the unit tests call it
// directly. Duplicates and suppressions are set-based and done in SQL, not here.
import { normaliseEmail } from '../domain/email';
import { FRANCE_OPT_OUT_POLICY, needsOptOutMention, withOptOutMention } from '../domain/opt-out';
import { normalisePhone } from '../domain/phone';
import { MissingPriceError, unitPriceE4, type Channel, type PriceTable } from '../domain/send-pricing';
import { smsSegments } from '../domain/sms-segments';
import { compileTemplate, templateVariables } from '../domain/templating';

type RowRejection = 'invalid_phone' | 'invalid_email' | 'missing_variable' | 'malformed_row' | 'no_price';

export type RowOutcome =
  | {
      ok: true;
      recipient: string;
      country: string | null;
      vars: Record<string, string>;
      segments: number;
      priceE4: number;
    }
  | { ok: false; reason: RowRejection; missing?: string[] };

export interface RowContext {
  channel: Channel;
  purpose: 'marketing' | 'transactional';
  /** Body template; for e-mail the subject may use variables too. */
  template: string;
  subject?: string | null;
  /** Country assumed for national phone numbers ("06 12 34 56 78"): the account's. */
  defaultCountry?: string;
  /** The opt-out mention appended to marketing SMS where the policy asks for it. */
  optOutMention: string;
  prices: PriceTable;
}

// Compiled once per send; re-exported for the row validator's tests.
export { compileTemplate };

/** Segments of an SMS text. Up to 70 UTF-16 units it is one SMS in either encoding (GSM-7: at most 140 septets). */
function segmentsOfText(text: string): number {
  return text.length <= 70 ? 1 : smsSegments(text).segments;
}

/** Variables a send's template (and subject) use; throws TemplateError on a malformed placeholder. */
export function usedVariables(template: string, subject?: string | null): string[] {
  return [...new Set([...templateVariables(template), ...templateVariables(subject ?? '')])];
}

/**
 * Builds the per-row check for one send. Values that are absent, null or empty count as missing
 * (a CSV cell cannot be absent, only empty). Only the variables the template uses are kept.
 */
export function createRowValidator(
  ctx: RowContext,
): (to: string, vars: Readonly<Record<string, unknown>>) => RowOutcome {
  const names = usedVariables(ctx.template, ctx.subject);
  const prices = new Map<string, number | null>();
  const priceOf = (country: string): number | null => {
    let p = prices.get(country);
    if (p === undefined) {
      try {
        p = unitPriceE4(ctx.prices, ctx.channel, country);
      } catch (e) {
        if (!(e instanceof MissingPriceError)) throw e;
        p = null;
      }
      prices.set(country, p);
    }
    return p;
  };
  // Without variables the text is the same for every row: its segments depend only on whether
  // the opt-out mention is added.
  const constantSegments = new Map<boolean, number>();
  const render = compileTemplate(ctx.template);
  const segmentsOf = (kept: Record<string, string>, country: string): number => {
    const mention = needsOptOutMention({ purpose: ctx.purpose, channel: 'sms', country }, FRANCE_OPT_OUT_POLICY);
    if (names.length === 0) {
      const cached = constantSegments.get(mention);
      if (cached !== undefined) return cached;
    }
    const body = render(kept);
    const n = segmentsOfText(mention ? withOptOutMention(body, ctx.optOutMention) : body);
    if (names.length === 0) constantSegments.set(mention, n);
    return n;
  };

  return (to, vars) => {
    let recipient: string;
    let country: string | null;
    if (ctx.channel === 'sms') {
      const phone = normalisePhone(to, ctx.defaultCountry);
      if (!phone.ok) return { ok: false, reason: 'invalid_phone' };
      recipient = phone.e164;
      country = phone.country;
    } else {
      const email = normaliseEmail(to);
      if (!email.ok) return { ok: false, reason: 'invalid_email' };
      recipient = email.email;
      country = null;
    }
    const kept: Record<string, string> = {};
    let missing: string[] | undefined;
    for (const name of names) {
      const v = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
      if (v === undefined || v === null || v === '') (missing ??= []).push(name);
      else kept[name] = String(v);
    }
    if (missing) return { ok: false, reason: 'missing_variable', missing };
    const unit = priceOf(country ?? '*');
    if (unit === null) return { ok: false, reason: 'no_price' };
    const segments = ctx.channel === 'sms' ? segmentsOf(kept, country!) : 1;
    return { ok: true, recipient, country, vars: kept, segments, priceE4: segments * unit };
  };
}
