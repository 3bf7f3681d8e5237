// `backup`'s recording files (issue 16): finished files are copied by the kernel a few at a time,
// a running one in pieces; every copy holds its source's bytes and is owner-only, whatever the
// source's mode, and nothing is left beside the backup.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backup } from '../../../cli/backup';
import {
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  therapistVault,
} from '../helpers/practice-helpers';

const folders: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('backup of the recording files', () => {
  it('copies every finished and running file whole and owner-only', async () => {
    const vault = await therapistVault('sv-backup-files-');
    folders.push(vault.dataDir);
    closers.push(() => vault.close());
    const client = await signedClient(vault.core, vault.clock.now());
    // More finished files than are copied at once, so the queue is shared and runs dry.
    const finished: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const { recordingId } = await startCapture(vault.core, client.clientId);
      await sendSeconds(vault.core, recordingId, 2 + i);
      await stopCapture(vault.core, recordingId);
      finished.push(recordingId);
    }
    const running = (await startCapture(vault.core, client.clientId)).recordingId;
    await sendSeconds(vault.core, running, 3);
    const source = (id: string) => join(vault.dataDir, 'recordings', `${id}.audio`);
    // A file someone loosened: the kernel copy would give the copy the same mode.
    chmodSync(source(finished[0]!), 0o644);

    const outDir = mkdtempSync(join(tmpdir(), 'sv-backup-files-out-'));
    folders.push(outDir);
    const out = join(outDir, 'vault-backup.sqlite');
    const report = await backup(vault.dataDir, out);
    expect(report).toMatchObject({ ok: true, exitCode: 0 });

    const copies = `${out}.recordings`;
    expect(readdirSync(copies).sort()).toEqual(
      [...finished, running].map((id) => `${id}.audio`).sort(),
    );
    for (const id of [...finished, running]) {
      const copy = join(copies, `${id}.audio`);
      expect(readFileSync(copy).equals(readFileSync(source(id))), id).toBe(true);
      expect(mode(copy), id).toBe(0o600);
    }
    expect(mode(copies)).toBe(0o700);
    expect(mode(out)).toBe(0o600);
    expect(readdirSync(outDir).sort()).toEqual([
      'vault-backup.sqlite',
      'vault-backup.sqlite.recordings',
    ]);
  });
});
