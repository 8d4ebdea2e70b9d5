/**
 * ISO-8601 durations as SDS contract properties write them (nhsMHSRetryInterval PT1M,
 * nhsMHSPersistDuration PT4H10M, PT0.5S). Years and months are refused: their length in
 * milliseconds is not fixed, and no SDS contract uses them.
 */
const pattern =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const unitMs = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000] as const;

/** Milliseconds in an ISO-8601 duration, or undefined when it is not one (or has no parts). */
export function parseDurationMs(value: string): number | undefined {
  const match = pattern.exec(value.trim());
  if (match === null || value.trim() === "P" || value.trim().endsWith("T")) return undefined;
  let total = 0;
  let any = false;
  for (const [index, ms] of unitMs.entries()) {
    const part = match[index + 1];
    if (part === undefined) continue;
    any = true;
    total += Number(part) * ms;
  }
  return any ? Math.round(total) : undefined;
}
