// `doctor`: what is wrong with a vault file, found without any key and without writing a byte
// (the file is opened read-only, so it is safe while the app runs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../electron/core/audit/audit-log';
import { initCrypto, toHex } from '../electron/core/platform/crypto';
import { VAULT_FILE_NAME } from '../electron/core/platform/db';

export interface DoctorReport {
  ok: boolean;
  /** 0 healthy, 1 problems found, 3 no vault file there. */
  exitCode: 0 | 1 | 3;
  problems: string[];
  notes: string[];
}

export async function doctor(vaultDir: string): Promise<DoctorReport> {
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
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
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
  } finally {
    db.close();
  }
  return { ok: problems.length === 0, exitCode: problems.length === 0 ? 0 : 1, problems, notes };
}
