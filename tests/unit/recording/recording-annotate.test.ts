// A recording's title and the therapist's private note: sealed with the recording's key (no word of
// either in the file or its WAL), logged without the words, never sent to the client in review,
// refused to anyone but the therapist, and gone when the recording is destroyed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  therapistVault,
} from '../helpers/practice-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>>;
let core: Core;

const TITLE = 'Talking about the garden fence';
const NOTE = 'Ask next time about Marigold and the letter';

beforeEach(async () => {
  vault = await therapistVault('sv-annotate-');
  core = vault.core;
});
afterEach(() => vault.close());

async function recorded() {
  const client = await signedClient(core, vault.clock.now(), {
    name: 'Alex Client',
    pin: '482915',
  });
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 2);
  await stopCapture(core, recordingId);
  return { clientId: client.clientId, recordingId };
}

type Summary = { recordingId: string; title: string | null; privateNote: string | null };

async function summaryOf(clientId: string, recordingId: string): Promise<Summary | undefined> {
  const detail = (await call(core, 'clients.detail', { clientId })) as { recordings: Summary[] };
  return detail.recordings.find((r) => r.recordingId === recordingId);
}

function fileBytes(): string {
  const read = (name: string) => {
    try {
      return readFileSync(join(vault.dataDir, name)).toString('latin1');
    } catch {
      return '';
    }
  };
  return read('vault.sqlite') + read('vault.sqlite-wal');
}

describe('recording.annotate', () => {
  it('seals a title and a private note, shows them to the therapist, and logs no words', async () => {
    const { clientId, recordingId } = await recorded();
    const saved = await call(core, 'recording.annotate', {
      recordingId,
      title: `  ${TITLE} `,
      privateNote: NOTE,
    });
    expect(saved).toEqual({ title: TITLE, privateNote: NOTE });
    expect(await summaryOf(clientId, recordingId)).toMatchObject({
      title: TITLE,
      privateNote: NOTE,
    });
    expect(fileBytes()).not.toContain('Marigold');
    expect(fileBytes()).not.toContain('garden fence');

    // A field left out stays; an empty one clears.
    await call(core, 'recording.annotate', { recordingId, privateNote: '' });
    expect(await summaryOf(clientId, recordingId)).toMatchObject({
      title: TITLE,
      privateNote: null,
    });

    const log = (await call(core, 'audit.recent', { limit: 20 })) as {
      entries: { action: string; subject: string | null; reason: string | null }[];
    };
    const mine = log.entries.filter(
      (e) => e.action === 'recording.rename' || e.action === 'recording.note',
    );
    expect(mine.map((e) => [e.action, e.reason])).toEqual(
      expect.arrayContaining([
        ['recording.rename', 'title set'],
        ['recording.note', 'private note saved'],
        ['recording.note', 'private note removed'],
      ]),
    );
    expect(JSON.stringify(log)).not.toContain('Marigold');
    expect(JSON.stringify(log)).not.toContain('garden');
  });

  it('refuses nothing to save, too long a note and an unknown recording, and changes nothing', async () => {
    const { clientId, recordingId } = await recorded();
    expect((await refusal(core, 'recording.annotate', { recordingId })).code).toBe(
      'INVALID_REQUEST',
    );
    const tooLong = await refusal(core, 'recording.annotate', {
      recordingId,
      privateNote: 'x'.repeat(5_001),
    });
    expect(tooLong.message).toContain('at most 5,000 characters');
    expect(
      (await refusal(core, 'recording.annotate', { recordingId: 'f'.repeat(32), title: 'x' })).code,
    ).toBe('NOT_FOUND');
    expect(await summaryOf(clientId, recordingId)).toMatchObject({
      title: null,
      privateNote: null,
    });
  });

  it('never reaches the client in review, who may not call it either', async () => {
    const { clientId, recordingId } = await recorded();
    await call(core, 'recording.annotate', { recordingId, title: TITLE, privateNote: NOTE });
    await call(core, 'review.start', { clientId, maxMinutes: 30 });
    await call(core, 'review.unlock', { pin: '482915' });
    await call(core, 'review.acknowledge');
    const library = await call(core, 'review.library', {});
    expect(JSON.stringify(library)).not.toContain('Marigold');
    expect(JSON.stringify(library)).not.toContain('garden');
    expect(
      (await refusal(core, 'recording.annotate', { recordingId, privateNote: 'mine' })).code,
    ).toBe('NOT_ALLOWED');
  });

  it('is destroyed with the recording: the sealed columns go in the same transaction as the key', async () => {
    const { recordingId } = await recorded();
    await call(core, 'recording.annotate', { recordingId, title: TITLE, privateNote: NOTE });
    await call(core, 'recording.destroy', { recordingId });
    const db = new Database(join(vault.dataDir, 'vault.sqlite'), { readonly: true });
    try {
      expect(
        db
          .prepare('SELECT sealed_title, sealed_note FROM recordings WHERE recording_id = ?')
          .get(recordingId),
      ).toEqual({ sealed_title: null, sealed_note: null });
    } finally {
      db.close();
    }
    expect((await refusal(core, 'recording.annotate', { recordingId, title: 'again' })).code).toBe(
      'NOT_ALLOWED',
    );
  });
});
