// createCore(): everything main does that does not need Electron, wired from small factories.
// Runs in plain Node under tests; electron/main.ts and the Chromium test host both use it.
import { statfsSync } from 'node:fs';
import { hostname } from 'node:os';
import { refusalReason, type Caller, type Role } from '../../shared/api';
import { VaultError } from '../../shared/errors';
import { AuditorService } from './audit/auditor-service';
import { AuditExports } from './audit/audit-exports';
import { AuditQueries } from './audit/audit-queries';
import { ExportFiles, type ExportFileChooser } from './audit/export-files';
import { auditHandlers } from './handlers/audit';
import { reviewHandlers } from './handlers/review';
import { ReviewService } from './review/review-service';
import { ConsentService } from './consent/consent-service';
import { DEFAULT_KDF, initCrypto } from './platform/crypto';
import { retryPendingWalTruncate } from './platform/db';
import { anchorKeyOf, type ClosingEvent } from './platform/anchor-record';
import { MemoryAnchorStore, type AnchorStore } from './platform/anchor-store';
import { AnchorKeeper } from './vault/anchor-keeper';
import {
  integritySentences,
  startIntegrityCheck,
  type BackgroundIntegrityCheck,
  type FileCheckSpawner,
} from './platform/integrity-check';
import { createDispatcher, type Asker, type Dispatch, type Handlers } from './dispatch';
import type { ConsentPdfSaver, CoreContext } from './handlers/context';
import { WizardDraftKeeper } from './consent/wizard-draft-keeper';

export type { ConsentPdfSaver } from './handlers/context';
import { practiceHandlers } from './handlers/practice';
import { microphoneHandlers } from './handlers/microphone';
import { recordingHandlers } from './handlers/recording';
import { sessionHandlers } from './handlers/session';
import { Player } from './playback/player';
import type { CaptureHost } from './recording/capture-channel';
import { MicrophoneChecks } from './recording/microphone-check';
import { MicrophoneChoice } from './recording/microphone-choice';
import { Recorder } from './recording/recorder';
import { SWEEP_INTERVAL_MS, createSweeper } from './retention/sweeper';
import { BackgroundTurns } from './platform/background-turns';
import { KdfThread, deriveOnMain } from './platform/kdf';
import { watchLastLock } from './vault/last-lock';
import { VaultService } from './vault/vault-service';
import { logClockNotices } from './vault/clock-notices';
import { VaultClock, systemClockSources } from './platform/vault-clock';

export type LockReason = 'user' | 'idle' | 'suspend' | 'screen-lock' | 'quit';
export type { CaptureHost, ExportFileChooser };

export interface CoreOptions {
  /** Folder that holds vault.sqlite (created if missing). */
  dataDir: string;
  /** 32 random bytes kept outside the vault (safeStorage in the app; injected in tests). */
  deviceSecret: Uint8Array;
  /** The system's wall clock, ms since the epoch; tests pass a controllable clock. */
  clock?: () => number;
  /**
   * A monotonic clock in ms (performance.now): idle lock, review limits and unlock delays run on
   * it. Without it, performance.now; or, when a `clock` is given, that clock (a test clock then
   * moves both; the attack tests pass two to move the wall clock alone).
   */
  monotonicClock?: () => number;
  /**
   * Where the rollback anchor lives: the OS keychain in the app. Left out (tests, the Chromium
   * test host), anchors live in this process's memory, one per vault.
   */
  anchorStore?: AnchorStore;
  /** Argon2id cost for new wrapped keys; tests may pass a lighter one. Stored with each key. */
  kdf?: { opsLimit: number; memLimitBytes: number };
  /** Opens and closes the window that holds the microphone while a recording runs. */
  captureHost?: CaptureHost;
  /** Free bytes on the vault's disk, for the "disk nearly full" warning. */
  freeBytes?: () => number;
  /** Echo cancellation, noise suppression and auto gain: on for a room, off in tests. */
  roomAudioProcessing?: boolean;
  /**
   * Told whenever who is signed in changes (unlock, review hand-over, lock, idle, time up), with
   * null once nobody is: main switches the window into and out of client review mode.
   */
  onSessionChange?: (role: Role | null) => void;
  /**
   * Asks where an access-log export goes (in the app, main's save dialog; null when the person
   * cancels). Without it, exports are refused.
   */
  exportFiles?: ExportFileChooser;
  /**
   * Saves the signed consent on screen as a PDF file (in the app: main's save dialog, then the
   * window's printToPDF); resolves with the path, or null when the person cancels. Without it,
   * the page prints through window.print() only.
   */
  consentPdf?: ConsentPdfSaver;
  /**
   * The built audit-index-worker script: the log screen's index is then read in a worker thread.
   * Absent: in slices on main.
   */
  auditIndexWorker?: string | URL;
  /**
   * The built kdf-worker script: the therapist's unlock runs Argon2id in a worker thread (about
   * 425 ms at DEFAULT_KDF that main would otherwise stand still for). Absent: on main.
   */
  kdfWorker?: string | URL;
  /** Starts the background whole-file check; plain Node spawning itself unless given (the app). */
  fileCheckSpawner?: FileCheckSpawner;
  /** This laptop's name for the recovery sheet; the OS host name unless a test names it. */
  deviceName?: string;
  /**
   * Where new recordings keep their sealed chunks: a file of their own beside the vault (the
   * default since migration 0070), or the vault's `chunks` table as before it. Recordings already
   * made stay where they are and are read from there.
   */
  newRecordingStorage?: 'file' | 'sqlite';
}

export interface Core {
  /** A request already in memory (tests, the bench). */
  dispatch: Dispatch;
  /** A page's request as bytes (shared/wire.ts): what electron/ipc.ts and the test host pass. */
  dispatchWire: Dispatch;
  handlers: Handlers;
  /** Lock now (user button, idle, system suspend, screen lock, quit). Safe to call when locked. */
  lock(reason: LockReason): void;
  /** Idle lock, capture watchdog and the hourly sweep; main calls it every second. */
  tick(): void;
  close(): void;
  /** Resolves once every rollback-anchor write asked for so far has reached its store. */
  settled(): Promise<void>;
}

// Without a keychain, anchors outlive a core within the process, as the keychain outlives the app.
const processAnchors = new Map<string, MemoryAnchorStore>();
function processAnchorStore(deviceSecret: Uint8Array): AnchorStore {
  const key = Buffer.from(deviceSecret).toString('hex');
  let store = processAnchors.get(key);
  if (!store) {
    store = new MemoryAnchorStore((vaultId) => anchorKeyOf(deviceSecret, vaultId));
    processAnchors.set(key, store);
  }
  return store;
}

const noCaptureHost: CaptureHost = {
  open: () => {
    throw new Error('no capture window in this process');
  },
  close: () => undefined,
};

export async function createCore(options: CoreOptions): Promise<Core> {
  await initCrypto();
  const clock = new VaultClock({
    wallNow: options.clock ?? systemClockSources.wallNow,
    monotonicNow: options.monotonicClock ?? options.clock ?? systemClockSources.monotonicNow,
  });
  // Retention, deadlines, decisions and log entries: trusted time, which never goes back.
  const now = (): number => clock.now();
  // Main's one background queue: the unlock's checks, sweeps and removals share each turn.
  const turns = new BackgroundTurns();
  // The unlock's Argon2id, in a worker thread when the app gives its script.
  const kdfThread = options.kdfWorker === undefined ? null : new KdfThread(options.kdfWorker);
  const lifecycle = new VaultService(
    options.dataDir,
    now,
    options.kdf ?? DEFAULT_KDF,
    options.deviceSecret,
    clock,
    options.newRecordingStorage,
    turns,
    kdfThread?.derive ?? deriveOnMain,
  );
  // Closing events are named in the rollback anchor before they commit (the keeper is made below).
  const anchorAhead = {
    ahead: (events: ClosingEvent[]) => anchors.ahead(events),
    withdraw: (events: ClosingEvent[]) => anchors.withdraw(events),
  };
  const destroyer = createSweeper(lifecycle, now, turns, anchorAhead);
  const freeBytes =
    options.freeBytes ??
    (() => {
      const stats = statfsSync(options.dataDir);
      return stats.bavail * stats.bsize;
    });

  // The recorder and the consent service refer to each other (consent ending stops a recording).
  let recorder: Recorder | null = null;
  // The recorder and the microphone checks share the one capture window, never at once.
  let microphones: MicrophoneChecks | null = null;
  const microphoneChoice = new MicrophoneChoice(options.dataDir);
  const consent = new ConsentService(
    lifecycle,
    now,
    options.deviceSecret,
    destroyer,
    (clientId, reason) => recorder?.stopForClient(clientId, reason),
    anchorAhead,
  );
  recorder = new Recorder(
    lifecycle,
    consent,
    destroyer,
    now,
    options.captureHost ?? noCaptureHost,
    freeBytes,
    options.roomAudioProcessing ?? true,
    {
      chosenDeviceId: () => microphoneChoice.get(),
      beforeRecording: async () => microphones?.beforeRecording(),
    },
  );
  microphones = new MicrophoneChecks(
    recorder.commands,
    options.captureHost ?? noCaptureHost,
    () => recorder.isRecording,
    microphoneChoice,
  );
  const anchors = new AnchorKeeper(
    options.anchorStore ?? processAnchorStore(options.deviceSecret),
    lifecycle,
    destroyer,
    now,
  );
  const player = new Player(lifecycle, consent, now);
  const review = new ReviewService(lifecycle, consent, now, options.deviceSecret);
  const auditors = new AuditorService(lifecycle, now);

  // Started below, once the start-up work is done: it reads the whole file.
  let integrityCheck: BackgroundIntegrityCheck | null = null;

  const lastLock = watchLastLock(lifecycle, now);
  const context: CoreContext = {
    lifecycle,
    consent,
    wizardDrafts: new WizardDraftKeeper(lifecycle),
    recorder,
    microphones,
    player,
    destroyer,
    review,
    auditors,
    anchors,
    now,
    deviceName: options.deviceName ?? hostname(),
    ...(options.auditIndexWorker === undefined ? {} : { auditWorker: options.auditIndexWorker }),
    consentPdf: options.consentPdf ?? null,
    fileCheck: () =>
      integrityCheck?.status() ?? {
        state: 'not-started',
        message: integritySentences['not-started'],
        checkedAt: null,
      },
    lastLock,
    active: () => {
      lifecycle.lockIfIdle(recorder.isRecording);
      lifecycle.touch();
    },
  };

  const handlers = {
    ...sessionHandlers(context),
    ...practiceHandlers(context),
    ...recordingHandlers(context),
    ...microphoneHandlers(context),
    ...reviewHandlers(context),
    ...auditHandlers(
      context,
      {
        exports: new AuditExports(lifecycle, auditors, now, options.auditIndexWorker),
        files: new ExportFiles(lifecycle),
        chooser: options.exportFiles,
      },
      new AuditQueries(lifecycle, auditors, options.auditIndexWorker),
    ),
  } satisfies Handlers;

  const door = createDispatcher(handlers, {
    whoIsAsking: (caller): Asker => {
      if (caller === 'capture') return { kind: 'capture', actor: null };
      const other = lifecycle.otherSession;
      if (other?.kind === 'client')
        return {
          kind: 'client',
          actor: { role: 'client', id: other.clientId, clientId: other.clientId },
        };
      if (other?.kind === 'auditor')
        return { kind: 'auditor', actor: { role: 'auditor', id: `auditor:${other.auditorId}` } };
      if (lifecycle.current)
        return { kind: 'therapist', actor: { role: 'therapist', id: 'therapist' } };
      return { kind: 'locked', actor: null };
    },
    notSignedIn: () => {
      try {
        lifecycle.unlocked();
      } catch (error) {
        if (error instanceof VaultError) return error;
      }
      return new VaultError('VAULT_LOCKED');
    },
    onOutsideRole: (channel, asker) => {
      const reason =
        asker.kind === 'client' ? refusalReason.outsideReview : refusalReason.outsideAuditor;
      try {
        lifecycle.log({
          actorRole: asker.kind === 'client' ? 'client' : 'auditor',
          actorId: asker.actor?.id ?? null,
          action: 'request.refused',
          subject: channel,
          outcome: 'refused',
          reason,
        });
      } catch {
        // Refused whether or not it could be logged.
      }
    },
    onRefused: (channel, error) => {
      if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return;
      try {
        lifecycle.log({
          actorRole: lifecycle.current?.info.role ?? 'unknown',
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

  // Before the first sweep and before any request: an older copy put back is caught and what it
  // undid is redone before anything can play. Its newest time seeds the clock.
  await anchors.check();
  // A clock set back or leapt forward since the last run is logged before the first sweep.
  logClockNotices(lifecycle);
  lifecycle.onUnlock(() => anchors.headMoved());
  lifecycle.onUnlock(() => auditors.rememberTherapistName());
  lifecycle.onLock(() => anchors.headMoved());
  // Titles opened for the therapist's library and player go with the session.
  lifecycle.onLock(() => lifecycle.opened().recordingNotes.forgetAll());
  let lastSweepMark = clock.mark();
  await destroyer.sweepInTurns('start-up');
  if (lifecycle.state === 'locked')
    integrityCheck = startIntegrityCheck(
      lifecycle.path,
      now,
      // Logged once per check and shown where the therapist sees every other tamper alarm.
      (detail) => {
        if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return;
        lifecycle.opened().alarms.raise({
          subject: 'vault/file',
          clientId: null,
          problem: `the whole-file check found damage (${detail.length} finding${detail.length === 1 ? '' : 's'}; first: ${String(detail[0] ?? '?').slice(0, 120)})`,
        });
      },
      options.fileCheckSpawner,
    );

  // Main's window follows who is signed in; this tells it, once per change. From the moment the
  // therapist hands the laptop over, its PIN screen is the client's too.
  let reportedRole: Role | null = null;
  const reportSessionChange = (): void => {
    const handedOver = !lifecycle.current && review.pendingStatus() !== null;
    const role = lifecycle.current?.info.role ?? (handedOver ? 'client' : null);
    if (role === reportedRole) return;
    reportedRole = role;
    try {
      options.onSessionChange?.(role);
    } catch {
      // A client must never be left in an ordinary window: if review mode cannot start, lock.
      if (role !== 'client') return;
      if (handedOver) {
        review.cancelPending();
        lifecycle.log({
          actorRole: 'system',
          action: 'review.start',
          outcome: 'refused',
          reason: 'review mode could not start',
        });
      }
      lifecycle.lock('review mode could not start');
      reportedRole = null;
      try {
        options.onSessionChange?.(null);
      } catch {
        // Locked either way.
      }
    }
  };

  const lock = (reason: LockReason): void => {
    // The microphone goes with a suspended laptop: finish the recording cleanly first.
    if (reason === 'suspend' || reason === 'quit')
      recorder.stopAny(reason === 'suspend' ? 'system suspend' : 'app closing');
    lifecycle.lock(reason);
    reportSessionChange();
  };

  return {
    dispatch: async (channel: unknown, payload: unknown, caller?: Caller) => {
      try {
        return await door.dispatch(channel, payload, caller);
      } finally {
        reportSessionChange();
      }
    },
    dispatchWire: async (channel: unknown, bytes: unknown, caller?: Caller) => {
      try {
        return await door.dispatchWire(channel, bytes, caller);
      } finally {
        reportSessionChange();
      }
    },
    handlers,
    lock,
    tick: () => {
      if (lifecycle.lockIfIdle(recorder.isRecording)) reportSessionChange();
      recorder.tick();
      logClockNotices(lifecycle);
      if (clock.elapsedSince(lastSweepMark) >= SWEEP_INTERVAL_MS) {
        lastSweepMark = clock.mark();
        // Not awaited: main's tick goes on while the keychain write is awaited. A sweep that
        // fails (a full disk) is tried again at the next hour.
        destroyer
          .sweepInTurns('hourly')
          .catch(() => undefined)
          .then(() => anchors.headMoved());
      } else if (lifecycle.state === 'locked' || lifecycle.state === 'unlocked')
        destroyer.continueRemoval();
      // A reader (backup, doctor) kept a destruction's WAL copy alive: empty it once it lets go.
      if (lifecycle.state === 'locked' || lifecycle.state === 'unlocked')
        retryPendingWalTruncate(lifecycle.opened().db);
    },
    close: () => {
      integrityCheck?.stop();
      destroyer.stop();
      // Whatever is queued is dropped: due stays due, and an unlock still checking is refused.
      turns.stop();
      kdfThread?.close();
      try {
        recorder.close('app closing');
      } catch {
        // A full disk may refuse the end marker; start-up recovery seals the recording.
      }
      try {
        lock('quit');
      } catch {
        // A full disk may refuse the lock's log entry; the keys are wiped and the file closes.
      }
      anchors.headMoved();
      lifecycle.close();
    },
    settled: () => anchors.settled(),
  };
}
