// Which clients need a conversation, and the sentence that says why: recordings held because their
// record was changed outside the app, no consent yet, a consent revoked, therapy ended with
// recordings still kept until a date, terms signed under an earlier policy, or recordings about to
// be destroyed. Pure, so the rules are read in one place.
import { VAULT_HELD_REASON, type ClientSummary, type LibraryEntry } from '../../../shared/api';
import { formatDate } from '../../../shared/format';

export interface AttentionItem {
  kind: 'held' | 'no-consent' | 'revoked' | 'ended' | 'older-policy' | 'destroy-soon';
  clientId: string;
  clientName: string;
  sentence: string;
}

/** A held recording's reason as the client's page words it: "Held. Recording record changed …". */
export function heldSentence(reason: string): string {
  return `Held. ${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}

export function attentionItems(
  clients: readonly ClientSummary[],
  library: readonly LibraryEntry[],
  currentPolicyHash: string | null,
  now: number,
  soonMs: number,
): AttentionItem[] {
  const items: AttentionItem[] = [];
  const kept = library.filter((r) => r.state !== 'destroyed');
  for (const client of clients) {
    if (client.archived) continue;
    const base = { clientId: client.clientId, clientName: client.displayName };
    const consent = client.consent;
    const theirs = kept.filter((r) => r.clientId === client.clientId);
    // A vault-wide hold is the vault notice's to explain; one client's held records are named here.
    const held = theirs.filter((r) => r.held !== null && r.held !== VAULT_HELD_REASON);
    if (held.length > 0)
      items.push({
        ...base,
        kind: 'held',
        sentence:
          (held.length === 1 ? '' : `${held.length} recordings are held. `) +
          heldSentence(held[0]!.held!),
      });
    const lastDate = Math.max(
      ...theirs.map((r) => r.destroyAfter ?? Number.NEGATIVE_INFINITY),
      Number.NEGATIVE_INFINITY,
    );
    if (consent.state === 'none') {
      items.push({
        ...base,
        kind: 'no-consent',
        sentence: 'No consent yet. Walk through consent together before recording.',
      });
    } else if (consent.state === 'revoked' && consent.revokedAt !== null) {
      items.push({
        ...base,
        kind: 'revoked',
        sentence:
          theirs.length > 0
            ? `Consent revoked on ${formatDate(consent.revokedAt)}. Nothing more is recorded; ${theirs.length} kept until their dates.`
            : `Consent revoked on ${formatDate(consent.revokedAt)}. Nothing more is recorded. Archive the client or sign new terms together.`,
      });
    } else if (consent.state === 'ended' && theirs.length > 0 && Number.isFinite(lastDate)) {
      items.push({
        ...base,
        kind: 'ended',
        sentence: `Therapy ended. The client may listen until ${formatDate(lastDate)}; then the recordings are destroyed.`,
      });
    } else if (
      consent.state === 'active' &&
      currentPolicyHash !== null &&
      consent.policyVersionHash !== null &&
      consent.policyVersionHash !== currentPolicyHash
    ) {
      items.push({
        ...base,
        kind: 'older-policy',
        sentence:
          'Signed under an earlier version of the practice policy. Sign the new terms together at the next session.',
      });
    }
    if (consent.state === 'ended') continue;
    const soon = theirs.filter((r) => r.destroyAfter !== null && r.destroyAfter - now <= soonMs);
    if (soon.length > 0) {
      const first = Math.min(...soon.map((r) => r.destroyAfter ?? now));
      items.push({
        ...base,
        kind: 'destroy-soon',
        sentence: `${soon.length === 1 ? '1 recording is' : `${soon.length} recordings are`} destroyed within a week, the first on ${formatDate(first)}.`,
      });
    }
  }
  return items;
}
