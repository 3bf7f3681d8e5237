// Builds what a therapist and client would fill in and sign, for core tests.
import type { ClientSummary } from '../../shared/api-practice';
import type { Core } from '../../electron/core/services';

export async function call<T = unknown>(
  core: Core,
  channel: string,
  payload: unknown = {},
  caller?: 'ui' | 'capture',
): Promise<T> {
  const result = await core.dispatch(channel, payload, caller);
  if (!result.ok)
    throw Object.assign(
      new Error(`${channel}: ${result.error.code}: ${result.error.message}`),
      result.error,
    );
  return result.value as T;
}

export async function refusal(
  core: Core,
  channel: string,
  payload: unknown = {},
  caller?: 'ui' | 'capture',
) {
  const result = await core.dispatch(channel, payload, caller);
  if (result.ok) throw new Error(`${channel} was allowed`);
  return result.error;
}

export function consentDraft(
  client: ClientSummary,
  policyHash: string,
  signedAt: number,
  overrides: Record<string, unknown> = {},
) {
  return {
    participants: client.participants,
    purpose: {
      kind: 'personal-review',
      limitsText: 'For listening again on this laptop. Not for sharing.',
    },
    reasonsForRecording: { chosen: ['review', 'memory'], otherText: '' },
    whoMayPlay: { client: true, therapist: true, namedOthers: [] },
    onThisDeviceOnly: true,
    retentionDays: 30,
    termination: { action: 'keep-for-review', days: 14 },
    revocation: { destroys: 'all-recordings', revocableBy: { client: true, therapist: true } },
    acknowledgements: { noSharing: true, risksUnderstood: true, careNotConditional: true },
    alternativesOffered: { writtenTakeaways: true, closingVoiceNote: false },
    partOfClinicalRecord: false,
    policyVersionHash: policyHash,
    signatures: [
      ...client.participants.map((p) => ({
        signerId: p.participantId,
        role: 'participant',
        typedName: p.displayName,
        signedAt,
        drawnSignature: { kind: 'svg-path', d: 'M1 1 L20 5 L40 2' },
      })),
      {
        signerId: 'therapist',
        role: 'therapist',
        typedName: 'Dr. Jane Example',
        signedAt,
        drawnSignature: { kind: 'svg-path', d: 'M2 2 L30 8' },
      },
    ],
    ...overrides,
  };
}
