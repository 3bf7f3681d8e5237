// Shared setup for the audit export and verifier tests: a real core in a temp folder, a second
// handle on the same file for filling the log fast, and whole exports read page by page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  CHECKPOINT_EVERY,
  canonicalEntry,
  chainHash,
  checkpointMessage,
  genesisHash,
} from '../../electron/core/audit';
import type { AuditEntry } from '../../electron/core/audit';
import { exportSignatureMessage, type AuditBundle } from '../../electron/core/audit-bundle';
import { fromHex, hash, sign, toHex, utf8 } from '../../electron/core/crypto';
import { createCore, type Core } from '../../electron/core/services';
import { VaultLifecycle } from '../../electron/core/vault';
import { call } from './practice-helpers';
import { fakeClock, LIGHT_KDF, PASSPHRASE } from './kernel-helpers';

export interface TestVault {
  core: Core;
  dataDir: string;
  clock: ReturnType<typeof fakeClock>;
  cleanup(): void;
}

export async function newCoreVault(): Promise<TestVault> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-audit-'));
  const clock = fakeClock();
  const core = await createCore({
    dataDir,
    deviceSecret: new Uint8Array(randomBytes(32)),
    clock: clock.now,
    kdf: LIGHT_KDF,
    freeBytes: () => 1e12,
    captureHost: { open: () => undefined, close: () => undefined },
  });
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return {
    core,
    dataDir,
    clock,
    cleanup() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type FillEvent = {
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
  const other = new VaultLifecycle(vault.dataDir, vault.clock.now, LIGHT_KDF);
  try {
    other.unlock(PASSPHRASE);
    const { vault: opened, auditSecrets } = other.unlocked();
    opened.db.transaction(() => {
      for (let i = 0; i < count; i += 1) {
        vault.clock.advance(1);
        const seq = opened.audit.append({ actorRole: 'therapist', outcome: 'ok', ...event(i) });
        if (seq % CHECKPOINT_EVERY === 0) opened.audit.checkpoint(auditSecrets);
      }
    })();
    return new Uint8Array(auditSecrets.signing.secretKey);
  } finally {
    other.close();
  }
}

export async function exportText(core: Core, format: 'csv' | 'json') {
  const started = await call<{ exportId: string; total: number; signingKeyFingerprint: string }>(
    core,
    'audit.exportStart',
    { format },
  );
  let text = '';
  let pages = 0;
  for (;;) {
    const page = await call<{ text: string; done: boolean; written: number; total: number }>(
      core,
      'audit.exportNext',
      { exportId: started.exportId },
    );
    text += page.text;
    pages += 1;
    if (page.done) return { ...started, text, pages, written: page.written };
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
