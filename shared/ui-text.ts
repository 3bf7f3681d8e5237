// Wording the renderer shows and the end-to-end tests look for, kept in one place so they agree.
import { formatDate } from './format';

export const uiText = {
  vaultLocked: 'The vault locked.',
  clientsEmpty: 'No clients yet. Add a client to walk through consent together.',
  staysOnLaptop:
    'Everything you record stays on this laptop, locked with the passphrase you choose here.',
  lockedTitle: 'Session Vault is locked',
  auditIntact: (entries: number, checkpoints: number) =>
    `The access log is intact: ${entries.toLocaleString('en-GB')} ${entries === 1 ? 'entry' : 'entries'} ` +
    `and ${checkpoints.toLocaleString('en-GB')} signed ${checkpoints === 1 ? 'checkpoint' : 'checkpoints'} checked.`,
  auditTimeWentBack: (count: number, firstSeq: number) =>
    `Notice: ${count === 1 ? `entry ${firstSeq} is` : `${count.toLocaleString('en-GB')} entries, the first at entry ${firstSeq}, are`} dated earlier than the entry before them. The laptop’s clock was set back while they were written; the chain itself is intact.`,
  auditBroken: (problem: string, firstBadSeq: number | null) =>
    firstBadSeq === null
      ? `The access log has a problem: ${problem}`
      : `The access log has a problem at entry ${firstBadSeq}: ${problem}`,
  idleSaved: (minutes: number) =>
    `Saved. The vault now locks after ${minutes} idle ${minutes === 1 ? 'minute' : 'minutes'}.`,
  silence:
    'No sound for 10 seconds. Is the microphone muted or unplugged? Check its cable and mute switch; recording goes on meanwhile. If the meter still does not move, stop and check the laptop’s sound settings before recording again.',
  diskLow:
    'The laptop’s disk is nearly full. Recording goes on. Free some space now: empty the bin, or move large files off this laptop. If the disk fills, recording stops and what was recorded until then is kept.',
  retryIn: (seconds: number) =>
    `Too many tries. You can try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
} as const;

/** Words for the passphrase meter, by score 0 to 4, so colour is never the only signal. */
export const strengthWords = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

const DAY_MS = 24 * 60 * 60_000;

function howFarBehind(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.round(ms / DAY_MS)} days`;
  if (ms >= 2 * 60 * 60_000) return `${Math.round(ms / (60 * 60_000))} hours`;
  return `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}

/** What a wrong clock did, on the therapist's screens (ClockNotice). */
export const clockText = {
  behind: (ms: number) =>
    `This laptop’s clock is ${howFarBehind(ms)} behind the time Session Vault has already seen. Session Vault keeps its own time, so no recording is kept or played longer than its consent allows. Set the clock right in the system settings.`,
  held: (at: number) =>
    `This laptop’s clock jumped forward to ${formatDate(at)}. Session Vault is not destroying any recording by date until you confirm that date. If the date is wrong, set the clock right first.`,
  confirm: (at: number) => `${formatDate(at)} is the right date`,
  confirmed: 'Date confirmed. Recordings whose time has come are now destroyed.',
  /** On the lock screen: only the therapist, signed in, can confirm a date. */
  confirmAfterUnlock: 'Unlock as the therapist to confirm the date.',
};

/** The therapist lifts the hold an anchor finding put on every recording (IntegrityBanner). */
export const integrityHoldText = {
  confirm: 'I have read this: let recordings play again',
  confirmed: 'Confirmed. Recordings can play and record again.',
};
