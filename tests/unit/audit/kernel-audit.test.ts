import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newVault, PASSPHRASE } from '../helpers/kernel-helpers';
import { VaultError } from '../../../shared/errors';
import { CHECKPOINT_EVERY } from '../../../electron/core/audit/audit-log';
import type { AuditEvent } from '../../../electron/core/audit/audit-format';

let vault: Awaited<ReturnType<typeof newVault>>;

beforeEach(async () => {
  vault = await newVault();
});
afterEach(() => vault.cleanup());

function unlocked() {
  return vault.lifecycle.unlocked();
}

function fill(n: number) {
  const { vault: opened } = unlocked();
  for (let i = 0; i < n; i += 1)
    opened.audit.append({
      actorRole: 'therapist',
      action: 'recording.play' as AuditEvent['action'],
      subject: `rec-${i}`,
      outcome: 'ok',
    });
}

describe('access log', () => {
  it('writes entries while locked, and reads them once unlocked', async () => {
    vault.lifecycle.lock('user');
    await expect(vault.lifecycle.unlock('a wrong passphrase')).rejects.toThrow(VaultError);
    await vault.lifecycle.unlock(PASSPHRASE);
    const { vault: opened, auditSecrets } = unlocked();
    const entries = opened.audit.read(auditSecrets, { limit: 10 });
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'session.unlock:ok',
      'session.unlock:refused',
      'session.lock:ok',
      'session.unlock:ok',
      'vault.create:ok',
    ]);
    expect(opened.audit.verify(auditSecrets)).toMatchObject({ intact: true, entries: 5 });
  });

  it('holds ids and actions, never names or passphrases', () => {
    const { vault: opened, auditSecrets } = unlocked();
    const text = JSON.stringify(opened.audit.read(auditSecrets, { limit: 100 }));
    for (const secret of ['Dr. Jane Example', 'Riverside', PASSPHRASE])
      expect(text).not.toContain(secret);
  });

  it('checkpoints on unlock and every N entries, signed', () => {
    fill(CHECKPOINT_EVERY + 5);
    const { vault: opened, auditSecrets } = unlocked();
    opened.audit.checkpointIfDue(auditSecrets);
    const verdict = opened.audit.verify(auditSecrets);
    expect(verdict.intact).toBe(true);
    expect(verdict.checkpoints).toBe(2);
  });

  describe('reports the first entry where it breaks', () => {
    function db() {
      return unlocked().vault.db;
    }
    function flip(table: string, column: string, seq: number, at = 10) {
      const row = db()
        .prepare(`SELECT ${column} AS value FROM ${table} WHERE seq = ?`)
        .get(seq) as { value: Buffer };
      row.value[at] = row.value[at]! ^ 0x01;
      db().prepare(`UPDATE ${table} SET ${column} = ? WHERE seq = ?`).run(row.value, seq);
    }
    function verdict() {
      const { vault: opened, auditSecrets } = unlocked();
      return opened.audit.verify(auditSecrets);
    }

    it('a flipped byte in a sealed entry', () => {
      fill(10);
      flip('audit_entries', 'sealed', 6, 40);
      expect(verdict()).toMatchObject({ intact: false, firstBadSeq: 6 });
    });

    it('a flipped byte in an entry hash', () => {
      fill(10);
      flip('audit_entries', 'content_hash', 4, 3);
      expect(verdict()).toMatchObject({ intact: false, firstBadSeq: 4 });
    });

    it('a flipped byte in the sealed key of an epoch', () => {
      fill(3);
      const row = db().prepare('SELECT min(epoch_id) AS id FROM audit_epochs').get() as {
        id: number;
      };
      const sealed = db()
        .prepare('SELECT sealed_key FROM audit_epochs WHERE epoch_id = ?')
        .get(row.id) as { sealed_key: Buffer };
      sealed.sealed_key[20] = sealed.sealed_key[20]! ^ 0x04;
      db()
        .prepare('UPDATE audit_epochs SET sealed_key = ? WHERE epoch_id = ?')
        .run(sealed.sealed_key, row.id);
      const { vault: opened } = unlocked();
      opened.audit.rotateEpoch();
      expect(verdict()).toMatchObject({ intact: false, firstBadSeq: 1 });
    });

    it('a deleted entry', () => {
      fill(10);
      db().prepare('DELETE FROM audit_entries WHERE seq = 7').run();
      expect(verdict()).toMatchObject({ intact: false, firstBadSeq: 7 });
    });

    it('two entries swapped', () => {
      fill(10);
      const a = db()
        .prepare('SELECT sealed, content_hash, entry_hash FROM audit_entries WHERE seq = 5')
        .get() as Record<string, Buffer>;
      const b = db()
        .prepare('SELECT sealed, content_hash, entry_hash FROM audit_entries WHERE seq = 6')
        .get() as Record<string, Buffer>;
      const put = db().prepare(
        'UPDATE audit_entries SET sealed = ?, content_hash = ?, entry_hash = ? WHERE seq = ?',
      );
      put.run(b.sealed, b.content_hash, b.entry_hash, 5);
      put.run(a.sealed, a.content_hash, a.entry_hash, 6);
      expect(verdict()).toMatchObject({ intact: false, firstBadSeq: 5 });
    });

    it('the tail dropped after a checkpoint', () => {
      fill(10);
      const { vault: opened, auditSecrets } = unlocked();
      opened.audit.checkpoint(auditSecrets);
      const head = opened.audit.count();
      db()
        .prepare('DELETE FROM audit_entries WHERE seq > ?')
        .run(head - 3);
      expect(verdict()).toMatchObject({ intact: false, firstBadSeq: head });
    });

    it('a forged checkpoint signature', () => {
      fill(3);
      const { vault: opened, auditSecrets } = unlocked();
      opened.audit.checkpoint(auditSecrets);
      const seq = opened.audit.count();
      flip('audit_checkpoints', 'signature', seq, 5);
      expect(verdict()).toMatchObject({ intact: false, firstBadSeq: seq });
    });

    it('a replaced signing key', () => {
      db().prepare('UPDATE audit_keys SET sign_public = zeroblob(32)').run();
      expect(verdict()).toMatchObject({
        intact: false,
        problem: expect.stringContaining('replaced'),
      });
    });
  });

  it('verifies in slices without blocking, and a lock during the walk refuses it', async () => {
    const { vault: opened, auditSecrets } = unlocked();
    opened.db.transaction(() => fill(6_000))();
    expect(await opened.audit.verifyInSlices(auditSecrets)).toMatchObject({
      intact: true,
      entries: 6_002,
    });
    const walking = opened.audit.verifyInSlices(auditSecrets);
    vault.lifecycle.lock('user');
    await expect(walking).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
  });

  it('fails closed: if the log cannot be written, the unlock does not happen', async () => {
    vault.lifecycle.lock('user');
    const db = vault.lifecycle.opened().db;
    db.exec(
      "CREATE TRIGGER no_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    );
    await expect(vault.lifecycle.unlock(PASSPHRASE)).rejects.toThrow(
      expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }),
    );
    expect(vault.lifecycle.state).toBe('locked');
    db.exec('DROP TRIGGER no_audit');
    await vault.lifecycle.unlock(PASSPHRASE);
    expect(vault.lifecycle.state).toBe('unlocked');
  });
});
