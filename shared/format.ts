// The one place dates and times are written for people: the library, the log, the player, the
// review, the consent document and its printout, the recovery sheet. Always this laptop's own time
// zone, because main and the pages run on the same laptop; a time of day always carries its zone,
// so nobody has to guess whether "09:30" is local. UTC is for storage and the log format only.

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

function isMoment(at: number): boolean {
  return Number.isFinite(new Date(at).getTime());
}

/** "20 Nov 2026" for a moment in ms since the epoch, on this laptop's calendar. */
export function formatDate(at: number): string {
  if (!isMoment(at)) return 'an unknown date';
  const date = new Date(at);
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

interface TimeOptions {
  /** For the access log, where entries a few seconds apart must read apart. */
  seconds?: boolean;
}

/** "10:30 CET": the wall clock in 24 hours, with the zone as this laptop's locale names it. */
export function formatTime(at: number, options: TimeOptions = {}): string {
  if (!isMoment(at)) return 'an unknown time';
  // Made per call: a formatter keeps the zone it was made in, and the zone can change.
  const parts = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const clock = [part('hour'), part('minute'), ...(options.seconds ? [part('second')] : [])];
  return `${clock.join(':')} ${part('timeZoneName')}`.trim();
}

/** "14 Mar 2025, 10:30 CET". */
export function formatDateTime(at: number, options: TimeOptions = {}): string {
  if (!isMoment(at)) return 'an unknown time';
  return `${formatDate(at)}, ${formatTime(at, options)}`;
}

/** "2025-03-14": this laptop's calendar day, as a date input holds it. */
export function dateInputValue(at: number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "1 day", "14 days". */
export function formatDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** The moment `days` whole days of 24 hours after `at`. */
export function addDays(at: number, days: number): number {
  return at + days * DAY_MS;
}

/** "30/11/2026": a day as people here type it (day first), for a date field's example. */
export function formatDayNumeric(at: number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`;
}

/**
 * A typed day as "2026-11-30", or null when it is not one. Day first, as the laptop's en-GB
 * dates: "30/11/2026", "30.11.2026", "30-11-2026", "30 Nov 2026"; also "2026-11-30". A text
 * field and not `<input type=date>`, whose order follows the browser's language, not the practice's.
 */
export function parseDay(text: string): string | null {
  const typed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(typed);
  const named = /^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$/.exec(typed);
  let year: number, month: number, day: number;
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (numeric)
    [day, month, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  else if (named) {
    const index = MONTHS.findIndex((name) => name.toLowerCase() === named[2]!.toLowerCase());
    if (index < 0) return null;
    [day, month, year] = [Number(named[1]), index + 1, Number(named[3])];
  } else return null;
  // The calendar decides: 31/02 and 00/13 are not days.
  const date = new Date(year, month - 1, day);
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day)
    return null;
  return dateInputValue(date.getTime());
}
