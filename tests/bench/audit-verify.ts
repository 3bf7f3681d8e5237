// Access-log verification. verify(null) walks the hash chain and checks every signed checkpoint
// without opening anything; its baseline is plain BLAKE2b over the same bytes in memory
// (prev || seq || content_hash per entry). verify(secrets) also opens every sealed box.
//
// Filling: AuditLog.append runs at only 3,000-7,000 entries/s here, so a million real appends
// would take minutes. The first `realEntries` are real appends; the rest repeat those entries'
// stored bytes (every column but seq and entry_hash) under new sequence numbers, with correctly
// chained entry hashes (the kernel's chainHash) and real signed checkpoints
// (AuditLog.checkpoint). verify(null) never opens an entry, so it does the same work it would
// on a million distinct entries of the same size. verify(secrets) runs on real entries only.
import { AuditLog, CHECKPOINT_EVERY } from '../../electron/core/audit/audit-log';
import { chainHash, genesisHash, type AuditEvent } from '../../electron/core/audit/audit-format';
import { hash } from '../../electron/core/platform/crypto';
import { LIGHT_KDF, createVault } from './fixture';
import { type BenchGroup, type Figure, log, now, round } from './harness';

const ACTIONS = ['recording.play', 'recording.append', 'client.open', 'session.unlock'];

export const auditVerifyGroup: BenchGroup = {
  name: 'audit verify',
  ids: ['audit_verify_entries_s', 'audit_verify_full_entries_s'],
  async run(options, wanted) {
    const total = options.quick ? 100_000 : 1_000_000;
    const fullSample = options.quick ? 5_000 : 20_000;
    const realEntries = options.quick ? 20_000 : 100_000;
    const vault = await createVault({ kdf: LIGHT_KDF, name: 'audit' });
    try {
      const { vault: opened, auditSecrets } = vault.lifecycle.unlocked();
      const { db, audit } = opened;
      const figures: Figure[] = [];
      let fillMs = 0;
      /** Real AuditLog.append calls, many to a transaction, a signed checkpoint every 1000. */
      const fillTo = (target: number) => {
        const start = now();
        const batch = db.transaction((count: number) => {
          for (let i = 0; i < count; i += 1) {
            const seq = audit.append({
              actorRole: 'therapist',
              action: ACTIONS[i % ACTIONS.length]! as AuditEvent['action'],
              subject: `rec-${(i % 97).toString(16)}`,
              outcome: 'ok',
            });
            if (seq % CHECKPOINT_EVERY === 0) audit.checkpoint(auditSecrets);
          }
        });
        for (let have = audit.count(); have < target; have = audit.count())
          batch(Math.min(50_000, target - have));
        vault.settledBytes();
        fillMs += now() - start;
      };
      /** Extends the chain to `target` by repeating the real entries' bytes (see above). */
      const extendTo = (target: number) => {
        // Every column but seq and entry_hash is copied as stored, whatever the schema holds.
        const copied = (
          db.prepare('SELECT name FROM pragma_table_info(?)').all('audit_entries') as {
            name: string;
          }[]
        )
          .map((column) => column.name)
          .filter((name) => name !== 'seq' && name !== 'entry_hash');
        if (!copied.includes('content_hash')) throw new Error('audit_entries has no content_hash');
        const templates = db
          .prepare(`SELECT ${copied.join(', ')} FROM audit_entries ORDER BY seq`)
          .all() as Record<string, unknown>[];
        const insert = db.prepare(
          `INSERT INTO audit_entries (seq, entry_hash, ${copied.join(', ')})
           VALUES (@seq, @entry_hash, ${copied.map((name) => `@${name}`).join(', ')})`,
        );
        const head = db
          .prepare('SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1')
          .get() as { seq: number; entry_hash: Buffer };
        let seq = head.seq;
        let prev: Uint8Array = new Uint8Array(head.entry_hash);
        const batch = db.transaction((until: number) => {
          while (seq < until) {
            seq += 1;
            const template = templates[seq % templates.length]!;
            const contentHash = new Uint8Array(template.content_hash as Buffer);
            const entryHash = chainHash(prev, seq, contentHash);
            insert.run({ ...template, seq, entry_hash: entryHash });
            prev = entryHash;
            if (seq % CHECKPOINT_EVERY === 0) audit.checkpoint(auditSecrets);
          }
        });
        while (seq < target) batch(Math.min(seq + 50_000, target));
        vault.settledBytes();
      };

      if (wanted('audit_verify_full_entries_s')) {
        fillTo(fullSample);
        const start = now();
        const verdict = audit.verify(auditSecrets);
        const seconds = (now() - start) / 1000;
        if (!verdict.intact || verdict.entries !== audit.count())
          throw new Error(`verify(secrets) failed: ${verdict.problem}`);
        figures.push({
          id: 'audit_verify_full_entries_s',
          value: round(verdict.entries / seconds),
          unit: 'entries/s',
          baseline: null,
          note: `verify(secrets) over ${verdict.entries} entries, ${verdict.checkpoints} checkpoints`,
        });
      }

      if (wanted('audit_verify_entries_s')) {
        fillTo(Math.min(realEntries, total));
        const real = audit.count();
        log(`  ${real} real appends at ${(real / (fillMs / 1000)).toFixed(0)} appends/s`);
        const extendStart = now();
        extendTo(total);
        const count = audit.count();
        log(`  extended to ${count} entries in ${((now() - extendStart) / 1000).toFixed(1)} s`);
        // A fresh AuditLog on the same handle, so nothing is cached from the fill.
        const fresh = new AuditLog(db, opened.vaultId, () => 0);
        const start = now();
        const verdict = fresh.verify(null);
        const seconds = (now() - start) / 1000;
        if (!verdict.intact || verdict.entries !== count)
          throw new Error(`verify(null) failed: ${verdict.problem}`);

        // Baseline: the same chain hashes over the same bytes, already in memory.
        const contentHashes = (
          db.prepare('SELECT content_hash FROM audit_entries ORDER BY seq').all() as {
            content_hash: Buffer;
          }[]
        ).map((row) => new Uint8Array(row.content_hash));
        const seqBytes = new Uint8Array(8);
        const seqView = new DataView(seqBytes.buffer);
        const baseStart = now();
        let prev = genesisHash(opened.vaultId);
        for (let i = 0; i < contentHashes.length; i += 1) {
          seqView.setBigUint64(0, BigInt(i + 1));
          prev = hash(prev, seqBytes, contentHashes[i]!);
        }
        const baseSeconds = (now() - baseStart) / 1000;
        const last = db.prepare('SELECT entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1');
        const head = new Uint8Array((last.get() as { entry_hash: Buffer }).entry_hash);
        if (Buffer.compare(Buffer.from(head), Buffer.from(prev)) !== 0)
          throw new Error('baseline chain does not match the stored head');
        figures.push({
          id: 'audit_verify_entries_s',
          value: round(count / seconds),
          unit: 'entries/s',
          baseline: round(count / baseSeconds),
          note: `verify(null) over ${count} entries (${real} appended for real), ${verdict.checkpoints} checkpoints, ${seconds.toFixed(1)} s; baseline plain BLAKE2b chain in memory`,
        });
      }
      return figures;
    } finally {
      vault.cleanup();
    }
  },
};
