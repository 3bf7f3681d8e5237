// Words for client review: short, plain, and the same on every screen of it.
import { REVIEW_IDLE_MINUTES, REVIEW_MAX_FAILURES } from '../../../shared/review-policy';

/** "Alex" from "Alex Client": the review greets a person, not a record. */
export function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? displayName;
}

/** "15:30", in this laptop's time zone: the review ends by the clock on the wall. */
export function clockTime(at: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** "1 hour 5 minutes", "52 minutes", "40 seconds". */
export function spokenDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}

/** "2:05" into a recording. */
export function markTime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const rest = String(seconds % 60).padStart(2, '0');
  return `${Math.floor(seconds / 60)}:${rest}`;
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
  endsAt: (at: number) => `This review ends at ${clockTime(at)}.`,
  endReview: 'End review',
  agree: 'I agree',
  revoke: 'Revoke my consent',
  endedByClient: 'You ended your review.',
  endedByItself: (endsAt: number) =>
    `Your review ended by itself. That happens after ${REVIEW_IDLE_MINUTES} minutes without use, and at ${clockTime(endsAt)} at the latest.`,
} as const;
