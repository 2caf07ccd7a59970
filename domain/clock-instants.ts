// The one check every contract clock makes of the instants it is given: a Date that holds a
// time (docs/contract.md). Pure, no Node built-ins: workflows import the clocks.
export function assertInstant(name: string, d: Date): void {
  if (!(d instanceof Date) || !Number.isFinite(d.getTime())) {
    throw new RangeError(`${name}: invalid instant ${String(d)}`);
  }
}
