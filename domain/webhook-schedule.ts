// Retries of an outbound webhook (docs/webhooks.md): after the first attempt, 5 s, 5 min, 30 min,
// 2 h, 5 h, then 10 h six times — about three days (67 h 35 min) in all —, each with ±20 % jitter
// so that the events of an endpoint that was down do not all come back at one instant.
const S = 1000;
const H = 3600 * S;
export const WEBHOOK_RETRY_SCHEDULE_MS = [
  5 * S,
  300 * S,
  1800 * S,
  2 * H,
  5 * H,
  10 * H,
  10 * H,
  10 * H,
  10 * H,
  10 * H,
  10 * H,
];

/** The wait before retry number `retryIndex` (0 = the first retry), or null once the schedule is spent. */
export function webhookRetryDelayMs(retryIndex: number, random: number): number | null {
  const base = WEBHOOK_RETRY_SCHEDULE_MS[retryIndex];
  return base === undefined ? null : Math.round(base * (0.8 + 0.4 * random));
}
