// Estimated wait for announcements and the supervisor view. The rule is "never a made-up
// number": without recent handle times or without a staffed agent there is no estimate,
// and the caller hears the position only.

/** Median of handle times in seconds; undefined for an empty or unusable history. */
export function medianSec(handleTimesSec: readonly number[]): number | undefined {
  const usable = handleTimesSec.filter((t) => Number.isFinite(t) && t > 0).sort((a, b) => a - b);
  if (!usable.length) return undefined;
  const mid = Math.floor(usable.length / 2);
  // The median rather than the mean: one 40-minute call must not double every estimate.
  return usable.length % 2 ? (usable[mid] as number) : ((usable[mid - 1] as number) + (usable[mid] as number)) / 2;
}

/**
 * Seconds a caller at `position` (1 = next) can expect to wait: the callers ahead are
 * served `staffed` at a time, each batch taking a median handle time. `staffed` counts
 * agents ready or busy on this queue; paused and logged-out agents serve nobody.
 */
export function estimatedWaitSec(position: number, handleTimesSec: readonly number[], staffed: number): number | undefined {
  const aht = medianSec(handleTimesSec);
  if (aht === undefined || staffed < 1 || !Number.isFinite(position) || position < 1) return undefined;
  return Math.ceil(position / Math.floor(staffed)) * aht;
}

/** Announced in whole minutes, rounded up: "about 1 minute" rather than "0 minutes". */
export function waitMinutesToAnnounce(waitSec: number | undefined): number | undefined {
  if (waitSec === undefined) return undefined;
  return Math.max(1, Math.ceil(waitSec / 60));
}

/** Whether the periodic position/wait announcement is due; `everySec` 0 means never. */
export function shouldAnnounce(everySec: number, lastAnnouncedAtMs: number | undefined, queuedAtMs: number, nowMs: number): boolean {
  if (everySec <= 0) return false;
  const since = lastAnnouncedAtMs ?? queuedAtMs;
  return nowMs - since >= everySec * 1000;
}
