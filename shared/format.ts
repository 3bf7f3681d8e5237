// Dates and durations written for people, the same on every laptop: always UTC, never the host
// locale, so main and the renderer (and every test machine) print the same words.

export const DAY_MS = 86_400_000;

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** "20 Nov 2026" for a moment in ms since the epoch, read in UTC. */
export function formatDate(at: number): string {
  const date = new Date(at);
  const time = date.getTime();
  if (!Number.isFinite(time)) return 'an unknown date';
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "1 day", "14 days". */
export function formatDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** The moment `days` whole days of 24 hours after `at`. */
export function addDays(at: number, days: number): number {
  return at + days * DAY_MS;
}
