// Playback tickets. Main opens a recording only after decide('play') allows it, logs the start
// before answering, hands out one chunk at a time (checking consent again for each), and logs
// the stop with how much was heard. Decrypted audio leaves main only as the answer to a request.
// A ticket belongs to the session that opened it: every lock ends it and wipes its key.
import { refuseWhileAnchorHeld } from '../vault/anchor-hold';
import type { Playback } from '../../../shared/api';
import { decide, summarizeConsent, type Actor } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import { newOpaqueId } from '../platform/ids';
import type { ConsentService } from '../consent/consent-service';
import { wipe } from '../platform/crypto';
import type { VaultService } from '../vault/vault-service';
import type { RecordingLevels } from '../recording/levels-store';

interface Ticket {
  /** The signed-in session that opened it (lifecycle.current): no one else may use it. */
  session: object;
  recordingId: string;
  clientId: string;
  actor: Actor;
  recordingKey: Uint8Array;
  consentVersion: number | null;
  durationMs: number;
}

export class Player {
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly lifecycle: VaultService,
    private readonly consent: ConsentService,
    private readonly now: () => number,
  ) {
    lifecycle.onLock((reason) => this.closeAll(`vault locked: ${reason}`));
  }

  private checkPlay(
    ticket: Pick<Ticket, 'recordingId' | 'clientId' | 'actor' | 'consentVersion'>,
    clientKey: Uint8Array,
  ) {
    const recording = this.lifecycle.opened().recordings.get(ticket.recordingId);
    const subject = this.consent.subject(
      ticket.clientId,
      clientKey,
      recording,
      ticket.consentVersion,
    );
    return { decision: decide('play', ticket.actor, subject, this.now()), subject };
  }

  open(recordingId: string, actor: Actor): Playback {
    const session = this.lifecycle.current;
    if (!session) throw new VaultError('VAULT_LOCKED');
    const vault = this.lifecycle.opened();
    const recording = vault.recordings.find(recordingId);
    if (!recording) {
      this.refuseStart(actor, recordingId, 'no such recording');
      throw new VaultError('NOT_FOUND');
    }
    if (actor.role === 'client' && actor.clientId !== recording.clientId) {
      this.refuseStart(actor, recordingId, 'not this client’s recording');
      throw new VaultError('NOT_ALLOWED', 'This recording is not yours, so it cannot be played.');
    }
    refuseWhileAnchorHeld(vault, (reason) => this.refuseStart(actor, recordingId, reason));
    // Rows that do not match their signed records never decide a play (issue 11).
    const held =
      recording.state === 'destroyed'
        ? null
        : vault.signedState.recordingHold(recordingId, recording.clientId);
    if (held) {
      this.refuseStart(actor, recordingId, `held: ${held}`);
      throw new VaultError('RECORDING_HELD');
    }
    return this.consent.withClientKey(recording.clientId, (clientKey) => {
      let recordingKey: Uint8Array | null = null;
      try {
        recordingKey =
          recording.state === 'destroyed'
            ? null
            : vault.clients.recordingKey(recordingId, clientKey);
        const meta = recordingKey ? vault.recordings.meta(recordingId, recordingKey) : null;
        const base = {
          recordingId,
          clientId: recording.clientId,
          actor,
          consentVersion: meta?.consentVersion ?? null,
        };
        const { decision, subject } = this.checkPlay(base, clientKey);
        // The row's kind picks the terms; the sealed kind says what was really recorded.
        if (meta && (meta.kind ?? 'session') !== recording.kind) {
          this.refuseStart(actor, recordingId, 'kind on the row does not match the sealed kind');
          throw new VaultError(
            'NOT_ALLOWED',
            'This recording’s details do not match what was recorded, so it stays locked.',
          );
        }
        if (!decision.allow || !recordingKey || !meta) {
          this.refuseStart(actor, recordingId, decision.reasons.join(' '));
          throw new VaultError(
            'NOT_ALLOWED',
            decision.reasons.join(' ') || 'This recording cannot be played.',
            { decisionCodes: decision.codes },
          );
        }
        const index = vault.recordings.index(recordingId);
        const durationMs = index.reduce((end, c) => Math.max(end, c.startMs + c.durationMs), 0);
        const playbackId = newOpaqueId();
        vault.audit.append({
          actorRole: actor.role,
          actorId: actorId(actor),
          action: 'playback.start',
          subject: recordingId,
          outcome: 'ok',
          reason: `consent version ${meta.consentVersion ?? '?'}`,
        });
        this.tickets.set(playbackId, { ...base, session, recordingKey, durationMs });
        recordingKey = null;
        const terms = subject.consent.terms;
        const ticketKey = this.tickets.get(playbackId)!.recordingKey;
        const removedRanges = vault.recordings.removedRanges(recordingId);
        return {
          playbackId,
          recordingId,
          clientDisplayName: vault.clients.profile(recording.clientId, clientKey).displayName,
          // The title is the therapist's: never read, let alone sent, for a client.
          title:
            actor.role === 'therapist'
              ? titleToShow(vault.recordingNotes, recordingId, ticketKey)
              : null,
          startedAt: recording.startedAt,
          mimeType: meta.mimeType,
          durationMs,
          chunks: index.map(({ seq, startMs, durationMs: d }) => ({ seq, startMs, durationMs: d })),
          markers: vault.recordings.markers(recordingId, ticketKey),
          removedRanges,
          levels: levelsToShow(vault.recordings, recordingId, ticketKey, removedRanges),
          consentSummary:
            terms && recording.destroyAfter !== null
              ? summarizeConsent(
                  terms,
                  recording.destroyAfter,
                  actor.role === 'client' ? 'client' : 'therapist',
                  subject.consent.therapyEndedAt !== null,
                )
              : null,
        };
      } finally {
        wipe(recordingKey);
      }
    });
  }

  /** A refused start is logged before the refusal is answered. */
  private refuseStart(actor: Actor, recordingId: string, reason: string): void {
    this.lifecycle.opened().audit.append({
      actorRole: actor.role,
      actorId: actorId(actor),
      action: 'playback.start',
      subject: recordingId,
      outcome: 'refused',
      reason,
    });
  }

  chunk(playbackId: string, seq: number): { seq: number; data: Uint8Array } {
    const ticket = this.tickets.get(playbackId);
    if (!ticket)
      throw new VaultError('NOT_ALLOWED', 'This playback has ended. Open the recording again.');
    if (ticket.session !== this.lifecycle.current) {
      this.close(playbackId, null, 'asked for by another session');
      throw new VaultError('NOT_ALLOWED', 'This playback has ended. Open the recording again.');
    }
    const allowed = this.consent.withClientKey(
      ticket.clientId,
      (clientKey) => this.checkPlay(ticket, clientKey).decision,
    );
    if (!allowed.allow) {
      this.close(playbackId, null, allowed.reasons.join(' '));
      throw new VaultError('NOT_ALLOWED', allowed.reasons.join(' '));
    }
    const vault = this.lifecycle.opened();
    const data = vault.recordings.openChunk(ticket.recordingId, ticket.recordingKey, seq);
    return { seq, data };
  }

  close(playbackId: string, heardMs: number | null, reason: string | null = null): void {
    const ticket = this.tickets.get(playbackId);
    if (!ticket || (heardMs !== null && ticket.session !== this.lifecycle.current)) return;
    this.tickets.delete(playbackId);
    wipe(ticket.recordingKey);
    const heard =
      heardMs === null
        ? 'unknown'
        : `${Math.round(Math.min(heardMs, ticket.durationMs * 4) / 1000)} s heard`;
    this.lifecycle.log({
      actorRole: ticket.actor.role,
      actorId: actorId(ticket.actor),
      action: 'playback.stop',
      subject: ticket.recordingId,
      outcome: 'ok',
      reason: reason ? `${heard}; ${reason}` : heard,
    });
  }

  /** On lock, every open playback ends: each key is wiped even if its log entry cannot be written. */
  closeAll(reason: string): void {
    for (const playbackId of [...this.tickets.keys()]) {
      try {
        this.close(playbackId, null, reason);
      } catch {
        // The ticket and its key are gone already (close() removes them before logging).
      }
    }
  }
}

/** A title that does not open costs the heading its title, never the playback. */
function titleToShow(
  notes: { title(id: string, key: () => Uint8Array): string | null },
  recordingId: string,
  recordingKey: Uint8Array,
): string | null {
  try {
    return notes.title(recordingId, () => recordingKey.slice());
  } catch {
    return null;
  }
}

/**
 * The waveform's levels, silent over every removed part (how loud a removed part was is not for
 * anyone to see). A levels row that does not open costs the waveform, never the playback.
 */
function levelsToShow(
  recordings: { levels(id: string, key: Uint8Array): RecordingLevels | null },
  recordingId: string,
  recordingKey: Uint8Array,
  removedRanges: { fromMs: number; toMs: number }[],
): RecordingLevels | null {
  let levels: RecordingLevels | null;
  try {
    levels = recordings.levels(recordingId, recordingKey);
  } catch {
    return null;
  }
  if (!levels) return null;
  const peaks = levels.peaks;
  for (const range of removedRanges) {
    const from = Math.max(0, Math.floor(range.fromMs / levels.binMs));
    const to = Math.min(peaks.length, Math.ceil(range.toMs / levels.binMs));
    peaks.fill(0, from, to);
  }
  return levels;
}

function actorId(actor: Actor): string | null {
  return actor.role === 'client' ? actor.clientId : null;
}
