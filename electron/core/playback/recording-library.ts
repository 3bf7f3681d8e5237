// The library: every recording across every client in one query on the recordings' summaries,
// with each client's name opened once (not once per recording).
import type { LibraryEntry } from '../../../shared/api';
import type { ConsentService } from '../consent/consent-service';
import type { VaultService } from '../vault/vault-service';

export function recordingLibrary(lifecycle: VaultService, consent: ConsentService): LibraryEntry[] {
  const { vault } = lifecycle.unlocked();
  const names = new Map(consent.list().map((client) => [client.clientId, client.displayName]));
  return vault.recordings.library().map((row) => ({
    recordingId: row.recordingId,
    clientId: row.clientId,
    clientDisplayName: names.get(row.clientId) ?? '',
    startedAt: row.startedAt,
    durationMs: row.durationMs,
    chunkCount: row.chunkCount,
    audioBytes: row.audioBytes,
    markerCount: row.markerCount,
    state: row.state,
    destroyAfter: row.state === 'destroyed' ? null : row.destroyAfter,
    destroyedAt: row.destroyedAt,
  }));
}
