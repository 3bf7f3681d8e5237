// The library: every recording across every client in one query on the recordings' summaries.
// Only each client's name, not their whole summary: that decodes and judges their consent, which
// made one call cost 330–823 ms at 300 recordings (issue 16), and the library shows no consent.
// Keys are unwrapped together, never one query each: every client's key in one query (for the
// names and the titles), then the keys of the titles not yet open in one more, since three queries
// per key made the first library after an unlock 60–180 ms at 300 titles. Each recording's signed
// record is checked with public keys only (one verification each): a held one is marked, and its
// row's date is not shown.
import { VAULT_HELD_REASON, type LibraryEntry } from '../../../shared/api';
import type { ConsentService } from '../consent/consent-service';
import { wipe } from '../platform/crypto';
import { anchorHoldOf } from '../vault/anchor-hold';
import type { VaultService } from '../vault/vault-service';

export function recordingLibrary(lifecycle: VaultService, consent: ConsentService): LibraryEntry[] {
  const { vault, masterKey } = lifecycle.unlocked();
  const rows = vault.recordings.library();
  const clientOf = new Map(rows.map((row) => [row.recordingId, row.clientId]));
  const clientIds = [...new Set(clientOf.values())];
  const clientKeys = vault.clients.keysForTherapist(clientIds, masterKey);
  try {
    const names = new Map(
      clientIds.map((clientId) => [
        clientId,
        consent.nameOf(clientId, clientKeys.get(clientId)) ?? '',
      ]),
    );
    const titles = vault.recordingNotes.titles(
      rows.filter((row) => row.titled && row.state !== 'destroyed').map((row) => row.recordingId),
      (recordingIds, use) =>
        vault.clients.eachRecordingKey(
          recordingIds,
          (recordingId) => clientKeys.get(clientOf.get(recordingId) ?? '') ?? null,
          use,
        ),
    );
    const vaultHeld = anchorHoldOf(vault) ? VAULT_HELD_REASON : null;
    return vault.signedState.batch(() =>
      rows.map((row) => {
        const destroyed = row.state === 'destroyed';
        const held = destroyed
          ? null
          : (vaultHeld ?? vault.signedState.recordingHold(row.recordingId, row.clientId));
        return {
          recordingId: row.recordingId,
          clientId: row.clientId,
          clientDisplayName: names.get(row.clientId) ?? '',
          title: titles.get(row.recordingId) ?? null,
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
