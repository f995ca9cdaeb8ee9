/** Milliseconds since an ISO timestamp, or undefined when it is missing or invalid. */
export function ageMs(now: Date, iso: string | undefined): number | undefined {
  if (!iso) {
    return undefined;
  }
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : now.getTime() - t;
}

/** Whether an ISO timestamp lies within the last `minutes` before `now`. */
export function isWithinMinutes(
  now: Date,
  iso: string | undefined,
  minutes: number,
): boolean {
  const age = ageMs(now, iso);
  return age !== undefined && age <= minutes * 60_000;
}
