// Metrics of the page activities, kept out of the page logic: activities/send.ts wraps each page
// activity with countPageAttempt and hands each page a store whose outcome writes count carrier
// errors (lib/metrics/definitions.ts).
import { Context } from '@temporalio/activity';
import { failureTypeOf } from '../../workflows/failures';
import { messageCarrierErrors, pageAttempts, pageRetries, type Channel } from '../../lib/metrics/definitions';
import type { TemplateError } from '../../domain/templating';
import type { PageResult, PageStore } from './page-store';

// Codes a page writes that are not the carrier's: a template's error, a message never tried.
const OWN_CODES = new Set<TemplateError['code'] | 'not_attempted'>([
  'missing_variables',
  'invalid_placeholder',
  'not_attempted',
]);

/** One attempt of a page activity: counted by outcome, and as a retry when Temporal's attempt > 1. */
export async function countPageAttempt(channel: Channel, run: () => Promise<PageResult>): Promise<PageResult> {
  if (Context.current().info.attempt > 1) pageRetries.labels(channel).inc();
  try {
    const result = await run();
    pageAttempts.labels(channel, result.refused ? 'refused' : 'completed').inc();
    return result;
  } catch (err) {
    pageAttempts.labels(channel, failureTypeOf(err) ?? 'error').inc();
    throw err;
  }
}

/** The store with outcome writes that count each message written with a carrier error code. */
export function countingCarrierErrors(channel: Channel, store: PageStore): PageStore {
  const writeOutcomes: PageStore['writeOutcomes'] = async (outcomes, from) => {
    await store.writeOutcomes(outcomes, from);
    for (const o of outcomes) {
      if (o.error !== null && !OWN_CODES.has(o.error as never)) messageCarrierErrors.labels(channel, o.error).inc();
    }
  };
  return { ...store, writeOutcomes };
}
