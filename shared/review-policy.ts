// Client review mode's rules, shared so the screen says exactly what main enforces.

/** After this many wrong PINs in a row, the client's review locks until the therapist unlocks it. */
export const REVIEW_MAX_FAILURES = 10;

/** Idle minutes before a review ends by itself. */
export const REVIEW_IDLE_MINUTES = 5;

/** The wait after `failures` wrong PINs in a row: 1 s, then doubling (2 s, 4 s, ... 256 s). */
export function reviewDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return 1000 * 2 ** (failures - 1);
}

/** The sentence the PIN screen shows, from the same schedule main uses. */
export function describeReviewDelays(): string {
  return `After each wrong PIN the wait doubles, starting at 1 second. After ${REVIEW_MAX_FAILURES} wrong PINs, only your therapist can unlock your review.`;
}

/**
 * The one sentence a client acknowledges at the start of each review. `listenWith` are the people
 * their consent names ("Sam (partner)"): they may listen beside the client, and no one else may.
 */
export function reviewAcknowledgement(listenWith: readonly string[] = []): string {
  if (listenWith.length === 0)
    return 'I will listen for my own personal review only, and I will not record, copy or share what I hear.';
  const names =
    listenWith.length === 1
      ? listenWith[0]
      : `${listenWith.slice(0, -1).join(', ')} or ${listenWith[listenWith.length - 1]}`;
  return `I will listen for my own personal review, alone or with ${names} as my consent allows, and I will not record, copy or share what I hear.`;
}
