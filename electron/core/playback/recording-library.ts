// The library: every recording across every client in one query on the recordings' summaries,
// with each client's name opened once (not once per recording). Only the name: a client's whole
// summary decodes and judges their consent, which made one call cost 330–823 ms at 300 recordings
// (issue 16), and the library shows no consent. A named recording's title is opened with its own
// key (one unwrap each), and only where the row says there is one. Each recording's signed record
// is checked with public keys only (one verification each): a held one is marked, and its row's
// date is not shown.
import { VAULT_HELD_REASON, type LibraryEntry } from '../../../shared/api';
import type { ConsentService } from '../consent/consent-service';
import { wipe } from '../platform/crypto';
import { anchorHoldOf } from '../vault/anchor-hold';
import type { VaultService } from '../vault/vault-service';

export function recordingLibrary(lifecycle: VaultService, consent: ConsentService): LibraryEntry[] {
  const { vault, masterKey } = lifecycle.unlocked();
  const names = new Map<string, string>();
  const nameOf = (clientId: string): string => {
    let name = names.get(clientId);
    if (name === undefined) {
      name = consent.nameOf(clientId) ?? '';
      names.set(clientId, name);
    }
    return name;
  };
  const clientKeys = new Map<string, Uint8Array | null>();
  const clientKeyOf = (clientId: string): Uint8Array => {
    let clientKey = clientKeys.get(clientId);
    if (clientKey === undefined) {
      clientKeys.set(clientId, null);
      clientKey = vault.clients.keyForTherapist(clientId, masterKey);
      clientKeys.set(clientId, clientKey);
    }
    if (!clientKey) throw new Error('this client’s key did not open');
    return clientKey;
  };
  const titleOf = (recordingId: string, clientId: string): string | null => {
    try {
      return vault.recordingNotes.title(recordingId, () =>
        vault.clients.recordingKey(recordingId, clientKeyOf(clientId)),
      );
    } catch {
      // A key or title that does not open costs the title here, never the library; the client's
      // detail names the damage.
      return null;
    }
  };
  const vaultHeld = anchorHoldOf(vault) ? VAULT_HELD_REASON : null;
  try {
    return vault.signedState.batch(() =>
      vault.recordings.library().map((row) => {
        const destroyed = row.state === 'destroyed';
        const held = destroyed
          ? null
          : (vaultHeld ?? vault.signedState.recordingHold(row.recordingId, row.clientId));
        return {
          recordingId: row.recordingId,
          clientId: row.clientId,
          clientDisplayName: nameOf(row.clientId),
          title: row.titled && !destroyed ? titleOf(row.recordingId, row.clientId) : null,
          // A held row's start time may be the edited one: the signed one is shown where it verifies.
          startedAt:
            held === null
              ? row.startedAt
              : (vault.signedState.signedRecording(row.recordingId, row.clientId)?.startedAt ??
                row.startedAt),
          durationMs: row.durationMs,
          chunkCount: row.chunkCount,
          audioBytes: row.audioBytes,
          markerCount: row.markerCount,
          state: row.state,
          destroyAfter: destroyed || held !== null ? null : row.destroyAfter,
          destroyedAt: row.destroyedAt,
          held,
        };
      }),
    );
  } finally {
    for (const key of clientKeys.values()) wipe(key);
  }
}
