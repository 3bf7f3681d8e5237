// Words for client review: short, plain, and the same on every screen of it.
import { REVIEW_IDLE_MINUTES, REVIEW_MAX_FAILURES } from '../../../shared/review-policy';
import { formatTime } from '../../../shared/format';
import { minutesSecondsClock } from '../../components/time-words';

/** "Alex" from "Alex Client": the review greets a person, not a record. */
export function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? displayName;
}

/** "Alex and Sam", "Alex, Sam and Kim": everyone the review is for, from "Sam (partner)". */
export function everyoneByFirstName(displayName: string, listenWith: readonly string[]): string {
  const names = [displayName, ...listenWith].map((name) =>
    firstName(name.replace(/\s*\([^)]*\)\s*$/, '')),
  );
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export const reviewText = {
  pinLabel: 'Your PIN',
  open: 'Open my recordings',
  therapistLink: 'I am the therapist',
  backToPin: (name: string) => `Back to ${name}’s review`,
  locked: 'Your review is locked. Ask your therapist to unlock it.',
  waitFor: (seconds: number) =>
    `You can try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
  wrongSoFar: (failures: number) => `Wrong PINs so far: ${failures} of ${REVIEW_MAX_FAILURES}.`,
  endsAt: (at: number) => `This review ends at ${formatTime(at)}.`,
  /** "24:13 left": minutes and seconds, as a kitchen timer reads. */
  timeLeft: (ms: number) => `Time left: ${minutesSecondsClock(ms)}`,
  endReview: 'End review',
  agree: 'I agree',
  revoke: 'Revoke my consent',
  endedByClient: 'You ended your review.',
  endedByItself: (endsAt: number) =>
    `Your review ended by itself. That happens after ${REVIEW_IDLE_MINUTES} minutes without use, and at ${formatTime(endsAt)} at the latest.`,
} as const;
