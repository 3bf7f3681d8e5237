// Shared setup for kernel tests: a real vault file in a temp folder, real libsodium.
import type { ChunkStorage } from '../../../electron/core/recording/recording-row-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { initCrypto } from '../../../electron/core/platform/crypto';
import type { VaultLock } from '../../../electron/core/platform/vault-lock';
import { VaultService } from '../../../electron/core/vault/vault-service';

export const LIGHT_KDF = { opsLimit: 2, memLimitBytes: 8 * 1024 * 1024 };
export const PASSPHRASE = 'maple harbour quietly ninety lanterns';

export function fakeClock(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** `newRecordingStorage: 'sqlite'` keeps new chunks in the vault file, as before migration 0070. */
export async function newVault(options: { newRecordingStorage?: ChunkStorage } = {}) {
  await initCrypto();
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-kernel-'));
  const clock = fakeClock();
  const deviceSecret = new Uint8Array(randomBytes(32));
  const storage = options.newRecordingStorage ?? 'file';
  const service = () =>
    new VaultService(dataDir, clock.now, LIGHT_KDF, deviceSecret, undefined, storage);
  let lifecycle = service();
  const { recoveryKey } = lifecycle.create({
    practiceName: 'Riverside Counselling',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return {
    recoveryKey,
    dataDir,
    clock,
    deviceSecret,
    get lifecycle() {
      return lifecycle;
    },
    /** Closes and opens the file again, as a restart would (locked afterwards). */
    reopen() {
      lifecycle.close();
      lifecycle = service();
      return lifecycle;
    },
    /** Simulates a crash: the database handle is dropped without a clean close. */
    crashAndReopen() {
      // A crashed process loses its folder lock with it (the OS drops it); the file stays as left.
      (lifecycle as unknown as { folderLock: VaultLock | null }).folderLock?.release();
      lifecycle = service();
      return lifecycle;
    },
    cleanup() {
      try {
        lifecycle.close();
      } catch {
        // already closed
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fake second of audio: recognisable bytes that are not a container signature. */
export function audioSecond(seq: number, bytes = 4000): Uint8Array {
  const chunk = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 1) chunk[i] = (seq * 31 + i * 7) & 0xff;
  return chunk;
}

/**
 * A recording written straight through the store, one second of audio a frame (with four level
 * bins a second when `levelsOf` is given), left unfinished: a crash's starting point.
 */
export function recordThroughStore(
  vault: Awaited<ReturnType<typeof newVault>>,
  seconds: number,
  levelsOf?: (seq: number) => Uint8Array,
) {
  const { vault: opened, masterKey } = vault.lifecycle.unlocked();
  const { clientId, clientKey } = opened.clients.create(masterKey, {
    displayName: 'Alex Client',
    participants: [],
  });
  const recordingId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
  const recordingKey = opened.clients.newRecordingKey(recordingId, clientKey);
  opened.recordings.create({ recordingId, clientId, destroyAfter: null }, recordingKey, {
    mimeType: 'audio/webm;codecs=opus',
    consentId: null,
    consentVersion: null,
  });
  for (let seq = 0; seq < seconds; seq += 1)
    opened.recordings.append(recordingId, recordingKey, {
      seq,
      startMs: seq * 1000,
      durationMs: 1000,
      payload: audioSecond(seq),
      ...(levelsOf ? { levels: { firstBin: seq * 4, binMs: 250, peaks: levelsOf(seq) } } : {}),
    });
  const file = join(vault.dataDir, 'recordings', `${recordingId}.audio`);
  return { opened, recordingId, recordingKey, file };
}
