// The access log in plain words: what each action, actor, subject and reason means to a person.
// Clients stay pseudonymous ("client 3fa2c0…"; their names are only ever revealed on purpose);
// the therapist and auditors are named from the list main opens with the audit key.
import type { AuditAction, AuditEntryView, RefusalReason } from '../../../shared/api';
import { formatDateTime } from '../../../shared/format';
import type { ActorNames } from './audit-store';

/** A label for every action main writes: a new action without one does not compile. */
export const actionWords: Record<AuditAction, string> = {
  'vault.create': 'Created the vault',
  'session.unlock': 'Unlock',
  'session.recover': 'Unlock with recovery key',
  'session.lock': 'Lock',
  'passphrase.change': 'Changed the passphrase',
  'settings.change': 'Changed a setting',
  'policy.change': 'Changed the practice policy',
  'audit.export': 'Exported the log',
  'audit.revealClients': 'Revealed client names',
  'request.refused': 'Refused a request',
  'auditor.add': 'Added an auditor',
  'auditor.remove': 'Removed an auditor',
  'auditor.unlock': 'Auditor sign-in',
  'client.add': 'Added a client',
  'client.rename': 'Renamed a client',
  'client.archive': 'Archived a client',
  'client.unarchive': 'Restored a client',
  'consent.sign': 'Signed consent',
  'consent.revoke': 'Revoked consent',
  'therapy.end': 'Ended therapy',
  'takeaway.add': 'Wrote a takeaway',
  'consent.decision': 'Noted a decision without recording',
  'recording.start': 'Started recording',
  'recording.pause': 'Paused recording',
  'recording.resume': 'Resumed recording',
  'recording.stop': 'Stopped recording',
  'recording.interrupted': 'Recording cut short',
  'recording.mark': 'Marked a moment',
  'recording.removeRange': 'Removed part of a recording',
  'recording.rename': 'Renamed a recording',
  'recording.note': 'Changed a private note on a recording',
  'recording.destroy': 'Destroyed a recording',
  'recording.destroy.complete': 'Finished removing a destroyed recording’s audio',
  'capture.started': 'Microphone started',
  'capture.chunk': 'Saved audio',
  'capture.finished': 'Microphone finished',
  'playback.start': 'Started listening',
  'playback.stop': 'Stopped listening',
  'review.start': 'Handed over for client review',
  'review.unlock': 'Client review sign-in',
  'review.acknowledge': 'Client read the review notice',
  'review.end': 'Client ended the review',
  'review.reset': 'Reset a client’s review PIN',
  'clock.back': 'The laptop’s clock was set back',
  'clock.forward': 'The laptop’s clock jumped forward',
  'clock.confirm': 'Confirmed today’s date',
  'vault.rollback': 'Found an older copy of the vault put back, and redid what it undid',
  'integrity.alarm': 'Found the vault changed outside Session Vault',
  'anchor.write': 'Could not update the keychain record against old copies',
  'anchor.confirm': 'Read the warning about old copies and let recordings play again',
};

function isAction(action: string): action is AuditAction {
  return Object.hasOwn(actionWords, action);
}

/** An action a log from another version may hold, without a label here, shows as it is. */
export function actionLabel(action: string): string {
  return isAction(action) ? actionWords[action] : action;
}

/** The words for each refusal code main writes: a new code without them does not compile. */
export const refusalWords: Record<RefusalReason, string> = {
  'too many tries: delayed': 'Too many tries, asked to wait',
  'not allowed for an auditor': 'Not allowed for an auditor',
  'not allowed in client review': 'Not allowed in client review',
};

export const reasonWords: Record<string, string> = {
  ...refusalWords,
  wrong_passphrase: 'Wrong passphrase',
  wrong_recovery_key: 'Wrong recovery key',
  'wrong name or passphrase': 'Wrong name or passphrase',
  'new vault': 'New vault',
  'emergency access: passphrase replaced': 'Emergency access: passphrase replaced',
  user: 'Lock button',
  idle: 'Idle lock',
  suspend: 'Laptop went to sleep',
  'screen-lock': 'Screen locked',
  quit: 'Session Vault closed',
};

const roleWords: Record<AuditEntryView['actorRole'], string> = {
  therapist: 'Therapist',
  client: 'Client',
  auditor: 'Auditor',
  system: 'Session Vault',
  unknown: 'Someone',
};

export const outcomeWords: Record<AuditEntryView['outcome'], string> = {
  ok: 'Done',
  refused: 'Refused',
  failed: 'Failed',
};

const OPAQUE_ID = /^[0-9a-f]{32}$/;
const ID_SHOWN = 6;

/** The first few characters of an id, enough to tell a practice's clients apart. */
export function shortId(id: string): string {
  return id.length > ID_SHOWN + 1 ? `${id.slice(0, ID_SHOWN)}…` : id;
}

/**
 * Who acted: a role; the therapist's or an auditor's name where the list has it; and for a client
 * or an auditor their pseudonymous id ("Auditor Pat Auditor (7c3db6…)", "Client 3fa2c0…").
 */
export function describeActor(
  entry: AuditEntryView,
  names: ActorNames,
): { role: string; name: string | null; id: string | null } {
  const auditorId = entry.actorId?.startsWith('auditor:')
    ? entry.actorId.slice('auditor:'.length)
    : null;
  const id = auditorId ?? entry.actorId;
  const name =
    entry.actorRole === 'therapist'
      ? names.therapist
      : auditorId !== null
        ? (names.auditors.get(auditorId) ?? null)
        : null;
  return { role: roleWords[entry.actorRole], name, id: id ? shortId(id) : null };
}

const subjectWords: Record<string, string> = {
  idleLockMinutes: 'Idle lock',
  defaultTerms: 'Default terms',
  csv: 'CSV file',
  json: 'Signed bundle',
  fhir: 'FHIR AuditEvents',
};

/** What an id names, judged by the action about it. */
function kindOfId(action: string): string {
  if (/^(client|consent|therapy|review|takeaway)\./.test(action)) return 'client';
  if (/^(recording|playback|capture)\./.test(action)) return 'recording';
  return 'item';
}

/** "consent version 3" from a signature's logged reason ("version 3; policy …"). */
function consentVersion(entry: AuditEntryView): number | null {
  const found = /^version (\d+);/.exec(entry.reason ?? '');
  return found ? Number(found[1]) : null;
}

/**
 * The subject as a person reads it; `id` is the full value, for filtering by it. Names never come
 * from the log: a client is "client 3fa2c0", a recording is its date and its client.
 */
export function describeSubject(
  entry: AuditEntryView,
  names: ActorNames,
): { text: string; id: string } | null {
  const subject = entry.subject;
  if (subject === null) return null;
  if (subject.startsWith('auditor:')) {
    const auditorId = subject.slice('auditor:'.length);
    const name = names.auditors.get(auditorId);
    const text = name ? `auditor ${name} (${shortId(auditorId)})` : `auditor ${shortId(auditorId)}`;
    return { text, id: subject };
  }
  if (entry.recording) {
    const what = entry.recording.kind === 'voice-note' ? 'closing voice note' : 'recording';
    const when = formatDateTime(entry.recording.startedAt);
    return {
      text: `${what} of ${when}, client ${shortId(entry.recording.clientId)}`,
      id: subject,
    };
  }
  if (OPAQUE_ID.test(subject)) {
    const kind = kindOfId(entry.action);
    const version = entry.action === 'consent.sign' ? consentVersion(entry) : null;
    if (version !== null)
      return { text: `consent version ${version} of client ${shortId(subject)}`, id: subject };
    return { text: `${kind} ${shortId(subject)}`, id: subject };
  }
  if (entry.action === 'policy.change')
    return { text: `practice policy ${shortId(subject)}`, id: subject };
  if (entry.action === 'request.refused') return { text: `request ${subject}`, id: subject };
  if (entry.action === 'integrity.alarm') return { text: `key ${subject}`, id: subject };
  return { text: subjectWords[subject] ?? subject, id: subject };
}

export function reasonLabel(reason: string | null): string {
  return reason === null ? '—' : (reasonWords[reason] ?? reason);
}

const numbers = new Intl.NumberFormat('en-GB');

/** 1204 → "1,204". */
export function count(n: number): string {
  return numbers.format(n);
}

export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
