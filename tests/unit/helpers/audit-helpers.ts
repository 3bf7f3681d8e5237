// Shared setup for the audit export and verifier tests: a real core in a temp folder, a second
// handle on the same file for filling the log fast, and whole exports read back from the file
// main wrote them to.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CHECKPOINT_EVERY } from '../../../electron/core/audit/audit-log';
import {
  canonicalEntry,
  chainHash,
  checkpointMessage,
  genesisHash,
} from '../../../electron/core/audit/audit-format';
import type { AuditEntry, AuditEvent } from '../../../electron/core/audit/audit-format';
import {
  exportSignatureMessage,
  type AuditBundle,
} from '../../../electron/core/audit/audit-bundle';
import { fromHex, hash, sign, toHex, utf8 } from '../../../electron/core/platform/crypto';
import { createCore, type Core } from '../../../electron/core/create-core';
import type { Reply, Request } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import { unpackAuditSecrets } from '../../../electron/core/audit/audit-format';
import {
  VAULT_FILE_NAME,
  checkpointAndTruncateWal,
  openVaultDb,
} from '../../../electron/core/platform/db';
import { KEY_IDS } from '../../../electron/core/vault/key-store';
import { attachVault } from '../../../electron/core/vault/open-vault';
import { unwrapMasterKey } from '../../../electron/core/vault/unlock-attempts';
import { call } from './practice-helpers';
import { fakeClock, LIGHT_KDF, PASSPHRASE } from './kernel-helpers';

export interface TestVault {
  core: Core;
  dataDir: string;
  deviceSecret: Uint8Array;
  clock: ReturnType<typeof fakeClock>;
  /** Where main's "save dialog" puts exports (outside the vault's folder). */
  exportDir: string;
  /** Every name main suggested, in order, and the path the dialog answered. */
  chosen: { suggestedName: string; path: string | null }[];
  /** What the next save dialog answers: a file in exportDir, or null for "cancelled". */
  answer: (suggestedName: string) => string | null;
  /** Every path main asked the OS to show in its folder. */
  revealed: string[];
  cleanup(): void;
}

/** `auditIndexWorker`: the built index worker, so the log's index is read in a worker thread. */
export async function newCoreVault(
  options: { auditIndexWorker?: string } = {},
): Promise<TestVault> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-audit-'));
  const exportDir = mkdtempSync(join(tmpdir(), 'sv-audit-exports-'));
  const clock = fakeClock();
  const chosen: TestVault['chosen'] = [];
  const revealed: string[] = [];
  const deviceSecret = new Uint8Array(randomBytes(32));
  const vault = {
    answer: (suggestedName: string): string | null => join(exportDir, suggestedName),
  };
  const core = await createCore({
    dataDir,
    deviceSecret,
    clock: clock.now,
    kdf: LIGHT_KDF,
    freeBytes: () => 1e12,
    captureHost: { open: () => undefined, close: () => undefined },
    ...options,
    exportFiles: {
      choose: async (suggestedName) => {
        const path = vault.answer(suggestedName);
        chosen.push({ suggestedName, path });
        return path;
      },
      reveal: (path) => revealed.push(path),
    },
  });
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return Object.assign(vault, {
    core,
    dataDir,
    deviceSecret,
    clock,
    exportDir,
    chosen,
    revealed,
    cleanup() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(exportDir, { recursive: true, force: true });
    },
  });
}

export type FillEvent = {
  actorRole?: 'therapist' | 'client' | 'auditor' | 'system' | 'unknown';
  actorId?: string;
  action: string;
  subject?: string;
  outcome?: 'ok' | 'refused' | 'failed';
  reason?: string;
};

/**
 * Appends `count` entries through a second handle on the same file (as AuditLog.append does in the
 * app), in one transaction, with a signed checkpoint every CHECKPOINT_EVERY. Returns the audit
 * secret signing key, for tests that play a key holder rewriting history.
 */
export function fill(vault: TestVault, count: number, event: (i: number) => FillEvent): Uint8Array {
  // Beside the running core, which holds the folder's lock: the same file through a second
  // handle, unlocked and locked as VaultService would (the lock exists to stop the app doing this).
  const opened = attachVault(
    openVaultDb(join(vault.dataDir, VAULT_FILE_NAME), { create: false }),
    vault.clock.now,
    LIGHT_KDF,
    vault.deviceSecret,
  );
  const masterKey = unwrapMasterKey(
    opened,
    'session.unlock',
    KEY_IDS.therapistMasterKey,
    PASSPHRASE,
    new VaultError('WRONG_PASSPHRASE'),
  );
  const auditSecrets = unpackAuditSecrets(
    opened.keys.take(KEY_IDS.auditSecrets, masterKey, new VaultError('VAULT_DAMAGED')),
  );
  try {
    opened.db.transaction(() => {
      opened.audit.append({ actorRole: 'therapist', action: 'session.unlock', outcome: 'ok' });
      opened.audit.checkpoint(auditSecrets);
    })();
    opened.db.transaction(() => {
      for (let i = 0; i < count; i += 1) {
        vault.clock.advance(1);
        // Synthetic entries may name any action, as a log written by another version can.
        const entry = { actorRole: 'therapist', outcome: 'ok', ...event(i) } as AuditEvent;
        const seq = opened.audit.append(entry);
        if (seq % CHECKPOINT_EVERY === 0) opened.audit.checkpoint(auditSecrets);
      }
    })();
    opened.audit.append({
      actorRole: 'therapist',
      action: 'session.lock',
      outcome: 'ok',
      reason: 'quit',
    });
    return new Uint8Array(auditSecrets.signing.secretKey);
  } finally {
    opened.audit.rotateEpoch();
    checkpointAndTruncateWal(opened.db);
    opened.db.close();
  }
}

export type ExportStarted = Extract<Reply<'audit.exportStart'>, { started: true }>;

/** Starts an export the person did not cancel: the tests' save dialog answers with a path. */
export async function startExport(
  core: Core,
  format: Request<'audit.exportStart'>['format'],
  filter?: Request<'audit.exportStart'>['filter'],
): Promise<ExportStarted> {
  const started = await call(core, 'audit.exportStart', { format, ...(filter ? { filter } : {}) });
  if (!started.started) throw new Error('audit.exportStart: the save dialog was cancelled');
  return started;
}

/** A whole export through the channels, then the text of the file main wrote. */
export async function exportText(
  vault: TestVault,
  format: 'csv' | 'json' | 'fhir',
  filter?: Request<'audit.exportStart'>['filter'],
) {
  const started = await startExport(vault.core, format, filter);
  let pages = 0;
  for (;;) {
    const page = await call(vault.core, 'audit.exportNext', { exportId: started.exportId });
    pages += 1;
    if (page.done) {
      const path = join(vault.exportDir, started.fileName);
      const text = readFileSync(path, 'utf8');
      return { ...started, path, text, pages, written: page.written, rows: page.rows };
    }
  }
}

/** What a key holder would do to pass off a changed bundle: recompute every hash, sign again. */
export function resign(
  bundle: AuditBundle,
  signingSecretKey: Uint8Array,
  publicKey: Uint8Array,
): AuditBundle {
  const vaultId = fromHex(bundle.vaultId);
  let prev = genesisHash(vaultId);
  const entryHashes = (bundle.entries as AuditEntry[]).map((entry) => {
    prev = chainHash(prev, entry.seq, hash(utf8.encode(canonicalEntry(entry))));
    return toHex(prev);
  });
  const checkpoints = bundle.checkpoints
    .filter((checkpoint) => checkpoint.seq <= entryHashes.length)
    .map((checkpoint) => {
      const headHash = entryHashes[checkpoint.seq - 1]!;
      const signature = sign(
        signingSecretKey,
        checkpointMessage(vaultId, checkpoint.seq, fromHex(headHash), checkpoint.at),
      );
      return { ...checkpoint, headHash, signature: toHex(signature) };
    });
  const head = { seq: entryHashes.length, hash: entryHashes.at(-1)! };
  const next = { ...bundle, signingPublicKey: toHex(publicKey), entryHashes, checkpoints, head };
  next.exportSignature = toHex(sign(signingSecretKey, exportSignatureMessage(next, head)));
  return next;
}

/** RFC 4180 parsing, enough to read back what the exporter wrote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) cell += c;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}
