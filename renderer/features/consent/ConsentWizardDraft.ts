// What the wizard holds while the terms are walked through, how each step is checked (with the
// schema's own sentences, so the wizard and main say the same thing), and the draft main signs.
import { z } from 'zod';
import type { ClientDetail } from '../clients/clients-store';
import { consentDraftSchema, wizardFieldsSchema, type WizardFields } from '../../../shared/api';
import {
  consentTermsObject,
  listenersProblem,
  representativeSchema,
  voiceNoteTermsSchema,
  type RecordingReason,
  type Signature,
  type VoiceNoteTerms,
} from '../../../shared/consent-terms';
import { defaultLimitsText } from '../../../shared/consent-text';
import type { Policy } from '../clients/clients-store';

export interface WizardDraft {
  reasons: { chosen: RecordingReason[]; otherText: string };
  limitsText: string;
  whoMayPlay: {
    client: boolean;
    therapist: boolean;
    namedOthers: { name: string; relation: string }[];
  };
  onThisDeviceOnly: boolean;
  noSharing: boolean;
  /** As typed; checked as a whole number of days on Next. */
  retentionDays: string;
  termination: 'destroy-now' | 'keep-for-review';
  keepDays: string;
  revocationDestroys: 'all-recordings' | 'future-only';
  risksUnderstood: boolean;
  careNotConditional: boolean;
  writtenTakeaways: boolean;
  closingVoiceNote: boolean;
  /** What may be recorded: whole sessions, closing voice notes (with their own terms), or both. */
  recordSessions: boolean;
  recordVoiceNotes: boolean;
  voiceNote: {
    client: boolean;
    therapist: boolean;
    /** As typed, like retentionDays. */
    retentionDays: string;
    termination: 'destroy-now' | 'keep-for-review';
    keepDays: string;
    revocationDestroys: 'all-recordings' | 'future-only';
  };
  partOfClinicalRecord: boolean;
  /** Who signs for the client: themselves, a parent for a minor, or a guardian. */
  representative: { signsFor: 'self' | 'minor' | 'guardian'; name: string; relation: string };
  pin: { keepCurrent: boolean; pin: string; repeat: string };
}

export interface StepProps {
  draft: WizardDraft;
  update: (patch: Partial<WizardDraft>) => void;
  detail: ClientDetail;
  policy: Policy;
}

export type SignDraft = z.output<typeof consentDraftSchema>;

/** A new consent starts from the practice defaults; a change starts from the terms in force. */
export function initialDraft(detail: ClientDetail, policy: Policy): WizardDraft {
  const terms = detail.terms;
  const defaults = policy.defaults;
  const termination = terms?.termination ?? defaults.termination;
  return {
    reasons: terms
      ? { ...terms.reasonsForRecording, chosen: [...terms.reasonsForRecording.chosen] }
      : { chosen: [], otherText: '' },
    limitsText: terms?.purpose.limitsText ?? defaultLimitsText,
    whoMayPlay: terms
      ? {
          ...terms.whoMayPlay,
          namedOthers: terms.whoMayPlay.namedOthers.map((o) => ({ ...o })),
        }
      : { client: true, therapist: true, namedOthers: [] },
    // Agreements are ticked again for every version: each signing is its own decision.
    onThisDeviceOnly: false,
    noSharing: false,
    retentionDays: String(terms?.retentionDays ?? defaults.retentionDays),
    termination: termination.action,
    keepDays: String(termination.action === 'keep-for-review' ? termination.days : 30),
    revocationDestroys: terms?.revocation.destroys ?? 'all-recordings',
    risksUnderstood: false,
    careNotConditional: false,
    writtenTakeaways: terms?.alternativesOffered.writtenTakeaways ?? false,
    closingVoiceNote: terms?.alternativesOffered.closingVoiceNote ?? false,
    recordSessions: terms?.recordingKinds?.sessions ?? true,
    recordVoiceNotes: Boolean(terms?.recordingKinds?.voiceNotes),
    voiceNote: voiceNoteDraft(terms?.recordingKinds?.voiceNotes ?? null, defaults.retentionDays),
    partOfClinicalRecord: terms?.partOfClinicalRecord ?? false,
    representative: terms?.representative
      ? { ...terms.representative }
      : { signsFor: 'self', name: '', relation: '' },
    pin: { keepCurrent: detail.client.hasReviewCredential, pin: '', repeat: '' },
  };
}

function voiceNoteDraft(
  signed: VoiceNoteTerms | null,
  defaultDays: number,
): WizardDraft['voiceNote'] {
  return {
    client: signed?.whoMayPlay.client ?? true,
    therapist: signed?.whoMayPlay.therapist ?? false,
    retentionDays: String(signed?.retentionDays ?? defaultDays),
    termination: signed?.termination.action ?? 'destroy-now',
    keepDays: String(
      signed?.termination.action === 'keep-for-review' ? signed.termination.days : 30,
    ),
    revocationDestroys: signed?.revocationDestroys ?? 'all-recordings',
  };
}

/** A voice note's short terms as main will check them. */
function voiceNoteInput(note: WizardDraft['voiceNote']) {
  return {
    whoMayPlay: { client: note.client, therapist: note.therapist },
    retentionDays: wholeNumber(note.retentionDays),
    termination:
      note.termination === 'destroy-now'
        ? { action: 'destroy-now' as const }
        : { action: 'keep-for-review' as const, days: wholeNumber(note.keepDays) },
    revocationDestroys: note.revocationDestroys,
  };
}

function representativeInput(representative: WizardDraft['representative']) {
  const { signsFor, name, relation } = representative;
  return signsFor === 'self' ? null : { signsFor, name, relation };
}

function wholeNumber(text: string): number {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The terms as main will check them, before signatures. */
export function termsInput(
  draft: WizardDraft,
  detail: ClientDetail,
  policyHash: string,
  signatures: Signature[],
) {
  return {
    participants: detail.client.participants,
    purpose: { kind: 'personal-review' as const, limitsText: draft.limitsText },
    reasonsForRecording: {
      chosen: draft.reasons.chosen,
      otherText: draft.reasons.chosen.includes('other') ? draft.reasons.otherText : '',
    },
    whoMayPlay: draft.whoMayPlay,
    onThisDeviceOnly: draft.onThisDeviceOnly,
    retentionDays: wholeNumber(draft.retentionDays),
    termination:
      draft.termination === 'destroy-now'
        ? { action: 'destroy-now' as const }
        : { action: 'keep-for-review' as const, days: wholeNumber(draft.keepDays) },
    revocation: {
      destroys: draft.revocationDestroys,
      revocableBy: { client: true, therapist: true },
    },
    acknowledgements: {
      noSharing: draft.noSharing,
      risksUnderstood: draft.risksUnderstood,
      careNotConditional: draft.careNotConditional,
    },
    alternativesOffered: {
      writtenTakeaways: draft.writtenTakeaways,
      closingVoiceNote: draft.closingVoiceNote,
    },
    partOfClinicalRecord: draft.partOfClinicalRecord,
    representative: representativeInput(draft.representative),
    participantRevocation: 'destroys-shared-recordings' as const,
    recordingKinds: {
      sessions: draft.recordSessions,
      voiceNotes: draft.recordVoiceNotes ? voiceNoteInput(draft.voiceNote) : null,
    },
    policyVersionHash: policyHash,
    signatures,
  };
}

function firstProblem(result: { success: boolean; error?: z.ZodError }): string | null {
  if (result.success) return null;
  return result.error?.issues[0]?.message ?? 'Something on this step is not filled in.';
}

const fields = consentTermsObject.shape;

/** Why this step cannot be left yet, in a sentence; null when it is complete. */
export function stepProblem(
  step: number,
  draft: WizardDraft,
  hasCredential: boolean,
): string | null {
  switch (step) {
    case 0:
      return firstProblem(
        fields.reasonsForRecording.safeParse({
          chosen: draft.reasons.chosen,
          otherText: draft.reasons.chosen.includes('other') ? draft.reasons.otherText : '',
        }),
      );
    case 1:
      return firstProblem(
        fields.purpose.safeParse({ kind: 'personal-review', limitsText: draft.limitsText }),
      );
    case 2: {
      return (
        listenersProblem(draft.whoMayPlay) ??
        firstProblem(fields.whoMayPlay.safeParse(draft.whoMayPlay))
      );
    }
    case 3:
      if (!draft.onThisDeviceOnly)
        return 'Tick the box to agree that recordings stay on this laptop only.';
      return firstProblem(fields.acknowledgements.shape.noSharing.safeParse(draft.noSharing));
    case 4:
      return firstProblem(fields.retentionDays.safeParse(wholeNumber(draft.retentionDays)));
    case 5:
      return firstProblem(
        fields.termination.safeParse(
          draft.termination === 'destroy-now'
            ? { action: 'destroy-now' }
            : { action: 'keep-for-review', days: wholeNumber(draft.keepDays) },
        ),
      );
    case 6:
      return (
        recordingKindsProblem(draft) ??
        firstProblem(
          fields.acknowledgements.shape.risksUnderstood.safeParse(draft.risksUnderstood),
        ) ??
        firstProblem(
          fields.acknowledgements.shape.careNotConditional.safeParse(draft.careNotConditional),
        ) ??
        firstProblem(
          representativeSchema.nullable().safeParse(representativeInput(draft.representative)),
        )
      );
    case 7: {
      if (hasCredential && draft.pin.keepCurrent) return null;
      if (!/^\d{6,12}$/.test(draft.pin.pin)) return 'A PIN is 6 to 12 digits.';
      if (draft.pin.repeat !== draft.pin.pin)
        return 'The two PINs are not the same. Type the PIN again in both boxes.';
      return null;
    }
    default:
      return null;
  }
}

function recordingKindsProblem(draft: WizardDraft): string | null {
  if (!draft.recordSessions && !draft.recordVoiceNotes)
    return 'Choose full-session recordings, closing voice notes, or both.';
  if (!draft.recordVoiceNotes) return null;
  if (!draft.voiceNote.client && !draft.voiceNote.therapist)
    return 'Choose who may listen to a voice note.';
  return firstProblem(voiceNoteTermsSchema.safeParse(voiceNoteInput(draft.voiceNote)));
}

/** The terms every step filled in, as main will read them (no signatures yet). */
export function previewTerms(
  draft: WizardDraft,
  detail: ClientDetail,
  policyHash: string,
): SignDraft | null {
  const result = consentDraftSchema.safeParse(termsInput(draft, detail, policyHash, []));
  return result.success ? result.data : null;
}

/** What main keeps across a lock: every field but the PIN; null when a field is past its bound. */
export function keptFields(draft: WizardDraft): WizardFields | null {
  // A plain object schema drops `pin` rather than refusing it.
  const fields = z.object(wizardFieldsSchema.shape).safeParse(draft);
  return fields.success ? fields.data : null;
}
