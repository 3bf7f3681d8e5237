// createCore(): everything main does that does not need Electron, wired from small factories.
// Runs in plain Node under tests; electron/main.ts and the Chromium test host both use it.
import type { AuditEntryView } from '../../shared/api';
import { initCrypto, DEFAULT_KDF } from './crypto';
import { createDispatcher, type Dispatch, type Handlers } from './dispatch';
import { VaultLifecycle } from './vault';

export type LockReason = 'user' | 'idle' | 'suspend' | 'screen-lock' | 'quit';

export interface CoreOptions {
  /** Folder that holds vault.sqlite (created if missing). */
  dataDir: string;
  /** 32 random bytes kept outside the vault (safeStorage in the app; injected in tests). */
  deviceSecret: Uint8Array;
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  clock?: () => number;
  /** Argon2id cost for new wrapped keys; tests may pass a lighter one. Stored with each key. */
  kdf?: { opsLimit: number; memLimitBytes: number };
}

export interface Core {
  dispatch: Dispatch;
  handlers: Handlers;
  /** Lock now (user button, idle, system suspend, screen lock, quit). Safe to call when locked. */
  lock(reason: LockReason): void;
  /** Checks the idle deadline; main calls it every second. */
  tick(): void;
  close(): void;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  await initCrypto();
  const now = options.clock ?? Date.now;
  const vault = new VaultLifecycle(options.dataDir, now, options.kdf ?? DEFAULT_KDF);

  /** Anything but reading the status counts as the person being here. */
  const active = (): void => {
    vault.lockIfIdle();
    vault.touch();
  };

  const handlers = {
    'vault.status': () => {
      vault.lockIfIdle();
      const problem = vault.unavailableReason;
      return {
        state: vault.state,
        problem: problem ? { code: problem.code, message: problem.message } : null,
        session: vault.current?.info ?? null,
        unlockRetryAfterMs: vault.unlockRetryAfterMs(),
      };
    },
    'vault.create': (request) => vault.create(request),
    'session.unlock': (request) => vault.unlock(request.passphrase),
    'session.recover': (request) => vault.recover(request.recoveryKey, request.newPassphrase),
    'session.lock': () => {
      vault.lock('user');
      return {};
    },
    'session.touch': () => {
      active();
      return {};
    },
    'settings.setIdleLock': (request) => {
      active();
      return vault.setIdleLockMinutes(request.minutes);
    },
    'audit.recent': (request) => {
      active();
      const { vault: opened, auditSecrets } = vault.unlocked();
      const entries: AuditEntryView[] = opened.audit.read(auditSecrets, request).map((entry) => ({
        seq: entry.seq,
        at: entry.at,
        actorRole: entry.actorRole,
        action: entry.action,
        subject: entry.subject,
        outcome: entry.outcome,
        reason: entry.reason,
      }));
      return { entries, total: opened.audit.count() };
    },
    'audit.verify': () => {
      active();
      const { vault: opened, auditSecrets } = vault.unlocked();
      return opened.audit.verify(auditSecrets);
    },
  } satisfies Handlers;

  const dispatch = createDispatcher(handlers, {
    onRefused: (channel, error) => {
      if (vault.state !== 'locked' && vault.state !== 'unlocked') return;
      try {
        vault.log({
          actorRole: vault.current?.info.role ?? 'unknown',
          action: 'request.refused',
          subject: channel,
          outcome: 'refused',
          reason: error.code,
        });
      } catch {
        // The refusal stands whether or not it could be logged.
      }
    },
  });

  return {
    dispatch,
    handlers,
    lock: (reason) => vault.lock(reason),
    tick: () => {
      vault.lockIfIdle();
    },
    close: () => vault.close(),
  };
}
