// Metrics of the page activities, kept out of the page logic: activities/send.ts wraps each page
// activity with countPageAttempt and hands each page a store whose outcome writes count carrier
// errors (lib/metrics/definitions.ts).
import { Context } from '@temporalio/activity';
import { FailureType, failureTypeOf } from '../../workflows/failures';
import {
  messageCarrierErrors,
  pageAttempts,
  pagesFenced,
  pageRetries,
  type Channel,
} from '../../lib/metrics/definitions';
import type { TemplateError } from '../../domain/templating';
import type { PageResult, PageStore } from './page-store';

// Codes a page writes that are not the carrier's: a template's error, a message never tried.
const OWN_CODES = new Set<TemplateError['code'] | 'not_attempted'>([
  'missing_variables',
  'invalid_placeholder',
  'not_attempted',
]);

/**
 * One attempt of a page activity: counted by outcome, as a retry when Temporal's attempt > 1, and as
 * fenced when its lease ran out (activities/sending/lease.ts).
 */
export async function countPageAttempt(channel: Channel, run: () => Promise<PageResult>): Promise<PageResult> {
  if (Context.current().info.attempt > 1) pageRetries.labels(channel).inc();
  try {
    const result = await run();
    pageAttempts.labels(channel, result.refused ? 'refused' : 'completed').inc();
    return result;
  } catch (err) {
    const type = failureTypeOf(err);
    pageAttempts.labels(channel, type ?? 'error').inc();
    if (type === FailureType.PageFenced) pagesFenced.labels(channel).inc();
    throw err;
  }
}

/** The store with outcome writes that count each message written with a carrier error code. */
export function countingCarrierErrors(channel: Channel, store: PageStore): PageStore {
  const writeOutcomes: PageStore['writeOutcomes'] = async (outcomes, from, owner) => {
    await store.writeOutcomes(outcomes, from, owner);
    for (const o of outcomes) {
      if (o.error !== null && !OWN_CODES.has(o.error as never)) messageCarrierErrors.labels(channel, o.error).inc();
    }
  };
  return { ...store, writeOutcomes };
}
