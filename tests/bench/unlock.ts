// unlock_ms: the therapist's unlock at DEFAULT_KDF through VaultService.unlock (Argon2id, the
// master-key unwrap, the audit entry and checkpoint). unknown_vs_wrong_credential_ratio: does an
// unknown auditor name answer faster than a known name with a wrong passphrase?
import { packAuditSecrets } from '../../electron/core/audit/audit-format';
import {
  DEFAULT_KDF,
  deriveKek,
  newKdfParams,
  utf8,
  wipe,
} from '../../electron/core/platform/crypto';
import { VaultError } from '../../shared/errors';
import { LIGHT_KDF, PASSPHRASE, createVault } from './fixture';
import { type BenchGroup, type Figure, log, median, now, round } from './harness';

function describeKdf(cost: { opsLimit: number; memLimitBytes: number }): string {
  return `argon2id13, opsLimit ${cost.opsLimit}, memLimit ${cost.memLimitBytes / 1024 / 1024} MiB, parallelism 1`;
}

export const unlockGroup: BenchGroup = {
  name: 'unlock',
  ids: ['unlock_ms'],
  async run(options) {
    const vault = await createVault({ kdf: DEFAULT_KDF, name: 'unlock' });
    try {
      const { lifecycle } = vault;
      const runs = options.quick ? 3 : 5;
      const unlocks: number[] = [];
      const kdfOnly: number[] = [];
      const params = newKdfParams(DEFAULT_KDF);
      for (let i = 0; i < runs; i += 1) {
        lifecycle.lock('bench');
        const start = now();
        await lifecycle.unlock(PASSPHRASE);
        unlocks.push(now() - start);
        const kdfStart = now();
        wipe(deriveKek(utf8.encode(PASSPHRASE), params));
        kdfOnly.push(now() - kdfStart);
      }
      log(`  KDF: ${describeKdf(DEFAULT_KDF)}`);
      log(`  unlocks (ms): ${unlocks.map((ms) => ms.toFixed(0)).join(', ')}`);
      const figure: Figure = {
        id: 'unlock_ms',
        value: round(median(unlocks)),
        unit: 'ms',
        baseline: null,
        note: `median of ${runs}; ${describeKdf(DEFAULT_KDF)}; Argon2id alone ${median(kdfOnly).toFixed(0)} ms`,
      };
      return [figure];
    } finally {
      vault.cleanup();
    }
  },
};

function expectWrongCredential(attempt: () => unknown): void {
  try {
    attempt();
  } catch (error) {
    if (error instanceof VaultError && error.code === 'WRONG_CREDENTIAL') return;
    throw error;
  }
  throw new Error('expected WRONG_CREDENTIAL');
}

export const credentialTimingGroup: BenchGroup = {
  name: 'credential timing',
  ids: ['unknown_vs_wrong_credential_ratio'],
  async run(options) {
    const kdf = options.quick ? LIGHT_KDF : DEFAULT_KDF;
    const vault = await createVault({ kdf, name: 'auditors' });
    try {
      const { vault: opened, auditSecrets } = vault.lifecycle.unlocked();
      const secretBytes = packAuditSecrets(auditSecrets);
      opened.auditors.add('Pat Auditor', 'correct horse battery staple', secretBytes);
      wipe(secretBytes);
      const tries = 10;
      const unknown: number[] = [];
      const wrong: number[] = [];
      // One warm-up each, then alternate so drift on a noisy machine hits both sides alike.
      expectWrongCredential(() => opened.auditors.unlock('Nobody Here', 'wrong passphrase'));
      expectWrongCredential(() => opened.auditors.unlock('Pat Auditor', 'wrong passphrase'));
      for (let i = 0; i < tries; i += 1) {
        const order = i % 2 === 0 ? ['unknown', 'wrong'] : ['wrong', 'unknown'];
        for (const kind of order) {
          const start = now();
          if (kind === 'unknown')
            expectWrongCredential(() => opened.auditors.unlock(`Nobody ${i}`, 'wrong passphrase'));
          else expectWrongCredential(() => opened.auditors.unlock('Pat Auditor', `wrong ${i}`));
          (kind === 'unknown' ? unknown : wrong).push(now() - start);
        }
      }
      const ratio = median(unknown) / median(wrong);
      return [
        {
          id: 'unknown_vs_wrong_credential_ratio',
          value: round(ratio),
          unit: 'ratio',
          baseline: null,
          note: `median unknown ${median(unknown).toFixed(1)} ms / wrong ${median(wrong).toFixed(1)} ms, ${tries} each, ${describeKdf(kdf)}`,
        },
      ];
    } finally {
      vault.cleanup();
    }
  },
};
