// A vault that looks like a practice's year (issue 16): clients who each signed a consent, and
// one-hour recordings, made through the real core's channels (vault.create, clients.add,
// consent.sign, recording.start, capture.*). Only one thing differs from a live session: the
// 3,599 chunks after a recording's first are made durable together, so the build pays one sync
// per recording instead of one per second: inside one explicit transaction for the `chunks`
// table, and with the frames' fdatasync deferred to one real fdatasync of the recording's file
// before it is stopped (`batchedFrameSyncs`). Every chunk still goes through `capture.chunk`
// (validation, sequence checks, sealing with the recording's key, the real frame format), and
// the index is written by the real finalise, so the files hold exactly what a live session leaves.
import { randomBytes } from 'node:crypto';
import fs, { statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import type { ClientSummary } from '../../shared/api';
import type { AnchorStore } from '../../electron/core/platform/anchor-store';
import { VAULT_FILE_NAME } from '../../electron/core/platform/db';
import { createCore, type Core } from '../../electron/core/create-core';
import { call, consentDraft } from '../unit/helpers/practice-helpers';
import { LIGHT_KDF, PASSPHRASE } from './fixture';
import { now, tempFolder } from './harness';

export interface YearFixtureOptions {
  clients: number;
  recordings: number;
  /** Seconds per recording: 3,600 for an hour. */
  seconds: number;
  /** Bytes of audio per second (32 kb/s Opus is about 4,000). */
  chunkBytes?: number;
  /** Changes to every client's consent terms (e.g. `termination`); retention is 365 days otherwise. */
  consentOverrides?: Record<string, unknown>;
  name?: string;
  /** Where the recordings keep their chunks: their own files (the default) or the `chunks` table. */
  newRecordingStorage?: 'file' | 'sqlite';
  /**
   * The first client's consent destroys every recording when therapy ends (`destroy-now`), and
   * the last this many recordings are theirs (the others go round the remaining clients): the
   * bench ends that therapy. 0 (the default): recordings go round every client.
   */
  endingClientRecordings?: number;
  /** Where the rollback anchor lives (this process's memory when left out). */
  anchorStore?: AnchorStore;
  /** The device secret, when the test needs it before the build (a random one otherwise). */
  deviceSecret?: Uint8Array;
}

export interface YearRecording {
  recordingId: string;
  clientId: string;
}

export interface YearFixture {
  dataDir: string;
  path: string;
  deviceSecret: Uint8Array;
  clock: { now: () => number; advance: (ms: number) => void };
  core: Core;
  clients: ClientSummary[];
  recordings: YearRecording[];
  /** The client whose consent destroys everything at the end of therapy (`endingClientRecordings`). */
  endingClient: ClientSummary | null;
  /** Wall time of the whole build. */
  buildMs: number;
  /** Bytes of audio sent through `capture.chunk`. */
  audioBytes: number;
  /** Size of the vault file with its WAL emptied. */
  fileBytes(): number;
  /** Closes the core (the file stays): for cold-start and other experiments on the file itself. */
  closeCore(): void;
  /** Opens the vault again as the app does at launch, with the same device secret and clock. */
  reopen(): Promise<Core>;
  cleanup(): void;
}

const START = Date.UTC(2025, 10, 3, 9, 0, 0);
/** Between two sessions: long enough to look real, short of the idle lock. */
const BETWEEN_SESSIONS_MS = 60_000;

/**
 * The core's own connection: createCore gives no handle to it, so while the fixture builds, the
 * connection that switches itself to WAL (the vault's writer; the read-only probe never does) is
 * remembered. Used only to open and commit the build's batch transaction.
 */
function captureWriterConnection(): { writer: () => Db; restore: () => void } {
  type PragmaFn = (this: Db, source: string, options?: { simple?: boolean }) => unknown;
  const proto = Database.prototype as unknown as { pragma: PragmaFn };
  const original = proto.pragma;
  let seen: Db | null = null;
  const remember = (db: Db) => void (seen = db);
  proto.pragma = function (this: Db, source, options) {
    if (/^\s*journal_mode\s*=\s*wal\s*$/i.test(source)) remember(this);
    return original.call(this, source, options);
  };
  return {
    writer: () => {
      if (!seen?.open) throw new Error('the core has no open vault connection');
      return seen;
    },
    restore: () => {
      proto.pragma = original;
    },
  };
}

/**
 * While `run` sends chunks, an audio frame's fdatasync only notes the file; afterwards each noted
 * file gets one real fdatasync (its writer keeps it open until the recording is stopped). The
 * core imports fdatasyncSync by name, so the swap reaches it through syncBuiltinESMExports.
 */
async function batchedFrameSyncs(run: () => Promise<void>): Promise<void> {
  const original = fs.fdatasyncSync;
  const pending = new Set<number>();
  fs.fdatasyncSync = (fd: number) => void pending.add(fd);
  syncBuiltinESMExports();
  try {
    await run();
  } finally {
    fs.fdatasyncSync = original;
    syncBuiltinESMExports();
  }
  for (const fd of pending) original(fd);
}

function secondOfAudio(seq: number, bytes: number): Uint8Array {
  const chunk = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 1) chunk[i] = (seq * 31 + i * 7) & 0xff;
  return chunk;
}

export async function buildYearFixture(options: YearFixtureOptions): Promise<YearFixture> {
  const started = now();
  const chunkBytes = options.chunkBytes ?? 4000;
  const folder = tempFolder(options.name ?? 'year');
  let clockMs = START;
  const clock = { now: () => clockMs, advance: (ms: number) => void (clockMs += ms) };
  const deviceSecret = options.deviceSecret ?? new Uint8Array(randomBytes(32));
  const open = () =>
    createCore({
      dataDir: folder.path,
      deviceSecret,
      clock: clock.now,
      kdf: LIGHT_KDF,
      freeBytes: () => 1e12,
      captureHost: { open: () => undefined, close: () => undefined },
      newRecordingStorage: options.newRecordingStorage,
      anchorStore: options.anchorStore,
    });

  const connection = captureWriterConnection();
  let core: Core | null = null;
  const clients: ClientSummary[] = [];
  const recordings: YearRecording[] = [];
  let audioBytes = 0;
  const ending = Math.min(options.endingClientRecordings ?? 0, options.recordings);
  try {
    core = await open();
    const built = core;
    await call(built, 'vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: 'Dr. Jane Example',
      passphrase: PASSPHRASE,
    });
    const db = connection.writer();
    // Consents keep recordings for a year, so nothing in the fixture is due until a test says so.
    const { policyHash } = await call(built, 'policy.get');
    for (let c = 0; c < options.clients; c += 1) {
      const client = await call(built, 'clients.add', {
        displayName: `Client ${String(c + 1).padStart(2, '0')}`,
        otherParticipants: [],
      });
      await call(built, 'consent.sign', {
        clientId: client.clientId,
        terms: consentDraft(client, policyHash, clock.now(), {
          retentionDays: 365,
          ...options.consentOverrides,
          ...(ending > 0 && c === 0 ? { termination: { action: 'destroy-now' } } : {}),
        }),
        reviewCredential: '482915',
      });
      clients.push(client);
    }
    const others = ending > 0 && clients.length > 1 ? clients.slice(1) : clients;
    const clientOf = (r: number) =>
      r >= options.recordings - ending ? clients[0]! : others[r % others.length]!;

    const payloads = Array.from({ length: 64 }, (_, i) => secondOfAudio(i, chunkBytes));
    for (let r = 0; r < options.recordings; r += 1) {
      const client = clientOf(r);
      const { recordingId } = await call(built, 'recording.start', {
        clientId: client.clientId,
        reconfirmedAloud: true,
      });
      await call(built, 'capture.next', {}, 'capture');
      await call(
        built,
        'capture.started',
        { recordingId, mimeType: 'audio/webm;codecs=opus' },
        'capture',
      );
      const send = (seq: number) => {
        clock.advance(1000);
        audioBytes += chunkBytes;
        return call(
          built,
          'capture.chunk',
          { recordingId, seq, durationMs: 1000, data: payloads[seq % payloads.length]! },
          'capture',
        );
      };
      await send(0);
      await batchedFrameSyncs(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          for (let seq = 1; seq < options.seconds; seq += 1) await send(seq);
          db.exec('COMMIT');
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      });
      const stopping = call(built, 'recording.stop', { recordingId });
      await call(built, 'capture.finished', { recordingId }, 'capture');
      await stopping;
      recordings.push({ recordingId, clientId: client.clientId });
      clock.advance(BETWEEN_SESSIONS_MS);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    core?.close();
    folder.cleanup();
    throw error;
  } finally {
    connection.restore();
  }

  const path = join(folder.path, VAULT_FILE_NAME);
  const fixture: YearFixture = {
    dataDir: folder.path,
    path,
    deviceSecret,
    clock,
    core,
    clients,
    recordings,
    endingClient: ending > 0 ? clients[0]! : null,
    buildMs: now() - started,
    audioBytes,
    fileBytes: () =>
      statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0),
    closeCore: () => fixture.core.close(),
    reopen: async () => {
      fixture.core = await open();
      return fixture.core;
    },
    cleanup: () => {
      try {
        fixture.core.close();
      } finally {
        folder.cleanup();
      }
    },
  };
  return fixture;
}
