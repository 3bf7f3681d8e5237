// unlock_ms: the therapist's unlock at DEFAULT_KDF through VaultService.unlock (Argon2id, the
// master-key unwrap, the audit entry and checkpoint). unlock_kdf_max_block_ms: main's longest
// turn during that unlock with Argon2id in its worker thread, as the app runs it, against the same
// with Argon2id on main. unknown_vs_wrong_credential_ratio: does an unknown auditor name answer
// faster than a known name with a wrong passphrase?
import { packAuditSecrets } from '../../electron/core/audit/audit-format';
import {
  DEFAULT_KDF,
  deriveKek,
  newKdfParams,
  utf8,
  wipe,
} from '../../electron/core/platform/crypto';
import { VaultError } from '../../shared/errors';
import { KdfThread } from '../../electron/core/platform/kdf';
import { type BenchVault, LIGHT_KDF, PASSPHRASE, createVault } from './fixture';
import {
  type BenchGroup,
  type Figure,
  checkMonitor,
  log,
  longestStall,
  median,
  now,
  round,
} from './harness';

function describeKdf(cost: { opsLimit: number; memLimitBytes: number }): string {
  return `argon2id13, opsLimit ${cost.opsLimit}, memLimit ${cost.memLimitBytes / 1024 / 1024} MiB, parallelism 1`;
}

function kdfWorkerScript(): string {
  const script = process.env['SESSION_VAULT_BENCH_KDF_WORKER'];
  if (!script) throw new Error('run the bench with npm run bench: it builds the KDF worker');
  return script;
}

/** Main's longest turn over `runs` lock → unlock, the worst of them; and each answer's time. */
async function unlockStalls(
  lifecycle: BenchVault['lifecycle'],
  runs: number,
): Promise<{ worst: number; turns: number[]; answers: number[] }> {
  const turns: number[] = [];
  const answers: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    lifecycle.lock('bench');
    const stall = await longestStall(async () => {
      const start = now();
      await lifecycle.unlock(PASSPHRASE);
      return now() - start;
    });
    turns.push(round(stall.loop));
    answers.push(round(stall.call));
  }
  return { worst: Math.max(...turns), turns, answers };
}

export const unlockGroup: BenchGroup = {
  name: 'unlock',
  ids: ['unlock_ms', 'unlock_kdf_max_block_ms'],
  async run(options, wanted) {
    const figures: Figure[] = [];
    if (wanted('unlock_ms')) figures.push(await unlockMs(options.quick));
    if (wanted('unlock_kdf_max_block_ms')) {
      await checkMonitor();
      const runs = options.quick ? 2 : 3;
      const onMain = await createVault({ kdf: DEFAULT_KDF, name: 'unlock-main' });
      // Built by scripts/bench.mjs, as electron-vite builds it beside the app's main.js.
      const thread = new KdfThread(kdfWorkerScript());
      const inWorker = await createVault({
        kdf: DEFAULT_KDF,
        name: 'unlock-worker',
        derive: thread.derive,
      });
      try {
        const main = await unlockStalls(onMain.lifecycle, runs);
        const worker = await unlockStalls(inWorker.lifecycle, runs);
        figures.push({
          id: 'unlock_kdf_max_block_ms',
          value: worker.worst,
          unit: 'ms',
          baseline: main.worst,
          note: `the worst of ${runs} unlocks at ${describeKdf(DEFAULT_KDF)}, Argon2id in its worker thread: longest turn ${worker.turns.join(' / ')} ms, answers ${worker.answers.join(' / ')} ms; baseline Argon2id on main: ${main.turns.join(' / ')} ms, answers ${main.answers.join(' / ')} ms`,
        });
      } finally {
        onMain.cleanup();
        inWorker.cleanup();
        thread.close();
      }
    }
    return figures;
  },
};

async function unlockMs(quick: boolean): Promise<Figure> {
  const vault = await createVault({ kdf: DEFAULT_KDF, name: 'unlock' });
  try {
    const { lifecycle } = vault;
    const runs = quick ? 3 : 5;
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
    return figure;
  } finally {
    vault.cleanup();
  }
}

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
