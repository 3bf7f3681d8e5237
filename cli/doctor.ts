// `doctor`: what is wrong with a vault file, found without any key and without writing a byte
// (the file is opened read-only, so it is safe while the app runs). It checks SQLite's integrity,
// the access log's chain and signed checkpoints, every finished recording's signed ciphertext
// commitment (altered chunks, a swapped key, a recording deleted outside the app), and, given the
// rollback anchor, whether the file is older than it. Every failure is a sentence, never a trace.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import { AuditLog } from '../electron/core/audit/audit-log';
import type { AnchorRecord } from '../electron/core/platform/anchor-record';
import { verifyCommitment } from '../electron/core/platform/ciphertext-commitment';
import { initCrypto, toHex } from '../electron/core/platform/crypto';
import { VAULT_FILE_NAME } from '../electron/core/platform/db';
import { judgeAgainstAnchor } from '../electron/core/platform/rollback-check';
import { CommitmentStore } from '../electron/core/recording/commitment-store';
import { RECORDINGS_FOLDER } from '../electron/core/recording/audio-file';
import { AnchorSnapshotStore } from '../electron/core/vault/anchor-snapshot-store';
import { ClosingLedgerStore } from '../electron/core/vault/closing-ledger-store';

export interface DoctorReport {
  ok: boolean;
  /** 0 healthy, 1 problems found, 3 no vault file there. */
  exitCode: 0 | 1 | 3;
  problems: string[];
  notes: string[];
}

export interface DoctorOptions {
  /**
   * The rollback anchor read from this laptop's keychain (its MAC needs the device secret, which
   * only the app holds). Without it, the report says the anchor was not checked.
   */
  anchor?: AnchorRecord;
}

function sqliteCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : '';
}

/** SQLite's own failures as sentences: a damaged file is a finding, never a stack trace. */
export function damagedFileSentence(error: unknown): string {
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB')
    return 'The file is not a SQLite database (or its first page is damaged): it is not a readable Session Vault file.';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ')
    return 'The vault file is damaged: part of it is missing or overwritten (a truncated copy, or a disk error), so it cannot be checked further.';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM'))
    return 'The vault file could not be opened: check that this account may read it.';
  if (code.startsWith('SQLITE_'))
    return `SQLite could not read the vault file (${code}), so it cannot be checked further.`;
  return 'The vault file could not be read to the end, so it cannot be checked further.';
}

export async function doctor(vaultDir: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const path = join(vaultDir, VAULT_FILE_NAME);
  if (!existsSync(path))
    return {
      ok: false,
      exitCode: 3,
      problems: [`There is no ${VAULT_FILE_NAME} in ${vaultDir}.`],
      notes: [],
    };
  await initCrypto();
  // Loaded here so that `verify` runs even where the native module is built for Electron only.
  const { default: Database } = await import('better-sqlite3');
  const problems: string[] = [];
  const notes: string[] = [];
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
      (row) => row.integrity_check,
    );
    if (integrity.length !== 1 || integrity[0] !== 'ok')
      problems.push(`SQLite integrity check: ${integrity.slice(0, 10).join('; ')}`);
    else notes.push('SQLite integrity check: ok.');
    notes.push(`Schema version ${db.pragma('user_version', { simple: true }) as number}.`);

    const meta = db.prepare('SELECT vault_id FROM vault_meta WHERE singleton = 1').get() as
      { vault_id: Buffer } | undefined;
    if (!meta) {
      problems.push(
        'The vault has no vault_meta row: it is not a Session Vault file, or it is badly damaged.',
      );
      return { ok: false, exitCode: 1, problems, notes };
    }
    const vaultId = new Uint8Array(meta.vault_id);
    notes.push(`Vault id ${toHex(vaultId)}.`);

    const verdict = new AuditLog(db, vaultId, Date.now).verify(null);
    if (verdict.intact)
      notes.push(
        `Access log chain: ${verdict.entries} entries and ${verdict.checkpoints} signed checkpoints intact (checked without keys).`,
      );
    else
      problems.push(
        `Access log: ${verdict.problem} (first bad entry ${verdict.firstBadSeq ?? '-'}).`,
      );

    const orphans = db
      .prepare(
        `SELECT c.rec_no AS recNo, r.recording_id AS recordingId, r.state AS state, count(*) AS chunks
           FROM chunks c LEFT JOIN recordings r ON r.rec_no = c.rec_no
          WHERE r.rec_no IS NULL OR r.state = 'destroyed'
          GROUP BY c.rec_no ORDER BY c.rec_no`,
      )
      .all() as {
      recNo: number;
      recordingId: string | null;
      state: string | null;
      chunks: number;
    }[];
    for (const orphan of orphans)
      problems.push(
        orphan.recordingId
          ? `Recording ${orphan.recordingId} is destroyed but ${orphan.chunks} sealed chunks of it remain.`
          : `${orphan.chunks} sealed chunks belong to a recording (number ${orphan.recNo}) that does not exist.`,
      );

    checkRecordingFiles(db, vaultDir, problems);

    const unfinished = db
      .prepare(
        `SELECT recording_id AS recordingId, state, started_at AS startedAt FROM recordings
          WHERE state = 'recording' OR (state = 'interrupted' AND final_seq IS NULL)
          ORDER BY started_at`,
      )
      .all() as { recordingId: string; state: string; startedAt: number }[];
    for (const recording of unfinished)
      problems.push(
        recording.state === 'recording'
          ? `Recording ${recording.recordingId} (started ${new Date(recording.startedAt).toISOString()}) is still marked as recording: the app is recording now, or it stopped without closing it.`
          : `Recording ${recording.recordingId} (started ${new Date(recording.startedAt).toISOString()}) was interrupted and has no end marker yet: unlocking the vault seals it.`,
      );

    checkCommitments(db, vaultId, problems, notes);
    checkAnchor(db, vaultId, options.anchor, problems, notes);
  } catch (error) {
    problems.push(damagedFileSentence(error));
  } finally {
    db?.close();
  }
  return { ok: problems.length === 0, exitCode: problems.length === 0 ? 0 : 1, problems, notes };
}

/**
 * Recording files (since 0070) against their rows: a destroyed recording whose file is still
 * there after its removal was recorded, or a file no recording owns. Altered and missing files
 * are found by their commitments.
 */
function checkRecordingFiles(db: Db, vaultDir: string, problems: string[]): void {
  const folder = join(vaultDir, RECORDINGS_FOLDER);
  if (!existsSync(folder)) return;
  const rows = new Map(
    (
      db
        .prepare(
          'SELECT recording_id AS id, state, ciphertext_removed_at AS removedAt FROM recordings',
        )
        .all() as { id: string; state: string; removedAt: number | null }[]
    ).map((row) => [row.id, row]),
  );
  for (const name of readdirSync(folder).sort()) {
    const recordingId = name.endsWith('.audio') ? name.slice(0, -'.audio'.length) : name;
    const row = rows.get(recordingId);
    if (!row)
      problems.push(
        `The recording file ${RECORDINGS_FOLDER}/${name} belongs to no recording in the vault: it was put there outside Session Vault.`,
      );
    else if (row.state === 'destroyed' && row.removedAt !== null)
      problems.push(
        `Recording ${recordingId} is destroyed but its file ${RECORDINGS_FOLDER}/${name} is still there (its key is gone, so it cannot be played).`,
      );
  }
}

/** Every finished recording against its signed commitment, with the log's public signing key. */
function checkCommitments(db: Db, vaultId: Uint8Array, problems: string[], notes: string[]): void {
  const keys = db.prepare('SELECT sign_public FROM audit_keys WHERE singleton = 1').get() as
    { sign_public: Buffer } | undefined;
  if (!keys) {
    problems.push('The vault has no access-log keys, so no commitment can be checked.');
    return;
  }
  const signingPublicKey = new Uint8Array(keys.sign_public);
  const store = new CommitmentStore(db);
  const destroyed = store.destroyedRecordingIds();
  const committed = new Set<string>();
  let intact = 0;
  for (const { recordingId, signature } of store.all()) {
    committed.add(recordingId);
    if (destroyed.has(recordingId)) continue;
    const stored = store.asStored(recordingId);
    if (!stored) {
      problems.push(
        `Recording ${recordingId} was committed to the log but its row, audio or key is gone: it was deleted outside Session Vault (Session Vault logs every destruction and keeps the row).`,
      );
      continue;
    }
    if (verifyCommitment(vaultId, stored, signature, signingPublicKey)) {
      intact += 1;
      continue;
    }
    problems.push(
      `Recording ${recordingId} does not match its signed commitment: its audio chunks were altered, removed or reordered, or its key was swapped, outside Session Vault.`,
    );
  }
  const uncommitted = store.finishedRecordingIds().filter((id) => !committed.has(id));
  notes.push(`Ciphertext commitments: ${intact} recordings match their signed commitment.`);
  if (uncommitted.length > 0)
    notes.push(
      `${uncommitted.length} finished recordings carry no commitment (finished before this version, or while the vault was locked): they are not checked.`,
    );
}

/** The file against this laptop's rollback anchor, when the caller could read it. */
function checkAnchor(
  db: Db,
  vaultId: Uint8Array,
  anchor: AnchorRecord | undefined,
  problems: string[],
  notes: string[],
): void {
  if (!anchor) {
    notes.push(
      'Rollback anchor: not checked (it is in this laptop’s keychain under a key only the app holds). The app checks it at every start.',
    );
    return;
  }
  const log = new AuditLog(db, vaultId, Date.now);
  const ledger = new ClosingLedgerStore(db, vaultId);
  const snapshot = new AnchorSnapshotStore(db);
  const signPublic = log.signingPublicKey();
  const verdict = judgeAgainstAnchor(anchor, {
    vaultId,
    logHeadSeq: log.head()?.seq ?? 0,
    entryHashAt: (seq) => log.entryHashAt(seq),
    closedCount: ledger.count(),
    closedDigestAt: (count) => ledger.digestAt(count),
    statePublicKey: signPublic,
    liveRecordingIds: snapshot.liveRecordingIds(),
    unrevokedClientIds: snapshot.unrevokedClientIds(),
    ongoingClientIds: snapshot.ongoingClientIds(),
  });
  if (verdict.kind === 'current')
    notes.push('Rollback anchor: the file is the one this laptop last saw, or newer.');
  else if (verdict.kind === 'rewritten')
    problems.push(`Rollback anchor: the file was rewritten: ${verdict.reason}.`);
  else
    problems.push(
      `Rollback anchor: the file is an older copy: ${verdict.missingEntries} log entries are missing, and ${verdict.destroyAgain.length} recordings destroyed since are back in it. The app destroys them again at its next start.`,
    );
}
