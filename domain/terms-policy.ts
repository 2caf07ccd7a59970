// The contract's durations as data, tied to a terms version (docs/contract.md). Workflows receive the
// policy of the account's terms version and never hold these numbers as constants.
import { addCalendarMonths, addCalendarYears, addHours, endOfCalendarDaysAfter } from './calendar';

/** A contractual duration. `calendarDaysEnd` is "within N calendar days" (end of day N, Paris). */
export type Duration =
  | { unit: 'calendarDaysEnd'; amount: number }
  | { unit: 'months'; amount: number }
  | { unit: 'years'; amount: number }
  | { unit: 'hours'; amount: number }
  // Only for short test policies: lets integration tests run a whole lifecycle in seconds.
  | { unit: 'seconds'; amount: number };

export interface TermsPolicy {
  version: string;
  /** 3.2 i: Subscription term and renewal period. */
  subscriptionTerm: Duration;
  /** 3.2 i: a termination notice must arrive at least this long before expiry. */
  renewalNoticeBeforeExpiry: Duration;
  /** 3.2 ii: Pack terms stay in force this long after the last use. */
  packValidityAfterLastUse: Duration;
  /** 3.3: a new terms version binds this long after its notification was sent. */
  termsChangeTakesEffect: Duration;
  /** 10.1: cure period after a formal notice. */
  formalNoticeCure: Duration;
  /** 10.2: after a 10.1 termination, the User may ask for its data within this period. */
  dataReturnRequest: Duration;
  /** 11: the affected party must notify force majeure within this period of its start. */
  forceMajeureNotification: Duration;
  /** 11: termination right opens this long after the force-majeure notification. */
  forceMajeureTerminationRight: Duration;
  /** 9 / 1.4: a claim must be notified within this period of the event. */
  claimNotice: Duration;
  /** 9: claims are barred this long after the event. */
  claimBar: Duration;
  /** 9: liability cap = price paid in this period before the event. */
  liabilityCapLookback: Duration;
  /** Annex 2.3.3: personal-data breach notification to the User. */
  dataBreachNotification: Duration;
  /** 7.3: dispute window from the invoice being made available. */
  invoiceDispute: Duration;
  /** 7.3: payment is due on issue; this is the grace before "late" (0 = immediate). */
  paymentDue: Duration;
  /**
   * 6.4.3: a scheduled (non-emergency) maintenance window is announced at least this many hours
   * (real hours, an instant rule; fractions allowed for test policies) before it starts.
   */
  maintenanceNoticeHours: number;
}

/** Terms version in force at launch (the French general terms in docs/terms/2026-01.txt). */
export const TERMS_2026_01: TermsPolicy = {
  version: '2026-01',
  subscriptionTerm: { unit: 'years', amount: 1 },
  renewalNoticeBeforeExpiry: { unit: 'calendarDaysEnd', amount: -30 },
  packValidityAfterLastUse: { unit: 'years', amount: 1 },
  termsChangeTakesEffect: { unit: 'months', amount: 1 },
  formalNoticeCure: { unit: 'calendarDaysEnd', amount: 7 },
  dataReturnRequest: { unit: 'calendarDaysEnd', amount: 7 },
  forceMajeureNotification: { unit: 'calendarDaysEnd', amount: 7 },
  forceMajeureTerminationRight: { unit: 'months', amount: 1 },
  claimNotice: { unit: 'months', amount: 1 },
  claimBar: { unit: 'years', amount: 2 },
  liabilityCapLookback: { unit: 'months', amount: -12 },
  dataBreachNotification: { unit: 'hours', amount: 36 },
  invoiceDispute: { unit: 'calendarDaysEnd', amount: 15 },
  paymentDue: { unit: 'hours', amount: 0 },
  // OPERATIONAL CHOICE, not a contract figure: 6.4.3 says only "informed in advance".
  maintenanceNoticeHours: 48,
};

export const CURRENT_TERMS_VERSION = TERMS_2026_01.version;

/**
 * Applies a duration to an instant. `calendarDaysEnd` gives an exclusive end (see calendar.ts).
 * With a negative amount it is a cut-off "at least N days before X": the last day that still
 * counts is the Paris date of X minus N, so the result is 00:00 Paris on (date of X) - N + 1;
 * a notice strictly before it is in time.
 */
export function applyDuration(from: Date, d: Duration): Date {
  if (!Number.isFinite(d.amount)) throw new RangeError(`invalid duration amount: ${d.amount}`);
  switch (d.unit) {
    case 'calendarDaysEnd':
      return endOfCalendarDaysAfter(from, d.amount);
    case 'months':
      return addCalendarMonths(from, d.amount);
    case 'years':
      return addCalendarYears(from, d.amount);
    case 'hours':
      return addHours(from, d.amount);
    case 'seconds':
      return addHours(from, d.amount / 3600);
  }
}

type DurationKey = {
  [K in keyof TermsPolicy]: TermsPolicy[K] extends Duration ? K : never;
}[keyof TermsPolicy];

/** Overrides for `testTermsPolicy`: a bare number on a duration field means that many seconds. */
export type TestTermsOverrides = Partial<{ [K in DurationKey]: Duration | number }> & {
  maintenanceNoticeHours?: number;
};

const s = (amount: number): Duration => ({ unit: 'seconds', amount });

/**
 * A short policy for integration tests: every duration in seconds, so a whole lifecycle runs
 * in seconds of (skipped) time. Defaults keep the contract's proportions where they matter
 * (notice period < term, claim notice < claim bar). Code under test looks a version up in
 * terms_versions (lib/terms.ts loadPolicy): insert it there.
 */
export function testTermsPolicy(version: string, overrides: TestTermsOverrides = {}): TermsPolicy {
  if (version === TERMS_2026_01.version) {
    throw new Error(`test policy may not reuse the real terms version ${version}`);
  }
  const base: TermsPolicy = {
    version,
    subscriptionTerm: s(60),
    renewalNoticeBeforeExpiry: s(-10),
    packValidityAfterLastUse: s(60),
    termsChangeTakesEffect: s(10),
    formalNoticeCure: s(7),
    dataReturnRequest: s(7),
    forceMajeureNotification: s(7),
    forceMajeureTerminationRight: s(30),
    claimNotice: s(30),
    claimBar: s(120),
    liabilityCapLookback: s(-360),
    dataBreachNotification: s(36),
    invoiceDispute: s(15),
    paymentDue: s(0),
    maintenanceNoticeHours: 2 / 3600,
  };
  const policy: TermsPolicy = { ...base };
  for (const [key, value] of Object.entries(overrides) as [keyof TestTermsOverrides, unknown][]) {
    if (value === undefined) continue;
    if (key === 'maintenanceNoticeHours') policy.maintenanceNoticeHours = value as number;
    else policy[key] = typeof value === 'number' ? s(value) : (value as Duration);
  }
  return policy;
}
