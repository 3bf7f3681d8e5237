// The library: every recording across every client in one query on the recordings' summaries,
// with each client's name opened once (not once per recording). Only the name: a client's whole
// summary decodes and judges their consent, which made one call cost 330–823 ms at 300 recordings
// (issue 16), and the library shows no consent.
import type { LibraryEntry } from '../../../shared/api';
import type { ConsentService } from '../consent/consent-service';
import type { VaultService } from '../vault/vault-service';

export function recordingLibrary(lifecycle: VaultService, consent: ConsentService): LibraryEntry[] {
  const { vault } = lifecycle.unlocked();
  const names = new Map<string, string>();
  const nameOf = (clientId: string): string => {
    let name = names.get(clientId);
    if (name === undefined) {
      name = consent.nameOf(clientId) ?? '';
      names.set(clientId, name);
    }
    return name;
  };
  return vault.recordings.library().map((row) => ({
    recordingId: row.recordingId,
    clientId: row.clientId,
    clientDisplayName: nameOf(row.clientId),
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
