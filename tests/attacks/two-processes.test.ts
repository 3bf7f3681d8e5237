// Attack: start a second copy of the app on the same vault folder. Before issue 11 both opened it,
// about half the writes failed, and a revocation in one did not stop a recording in the other.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VAULT_FILE_NAME } from '../../electron/core/platform/db';
import { errorSentences } from '../../shared/errors';
import { bundleNodeScript, runNodeScript } from '../unit/helpers/node-script';
import { logEntries, practicesForEachTest, unlock } from './attack-helpers';

let work: string;
let script: string;
const practices = practicesForEachTest();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sv-attack-two-'));
  script = join(work, 'second-app.cjs');
  await bundleNodeScript(join(__dirname, 'second-app-process.ts'), script);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface SecondApp {
  status: {
    ok: boolean;
    value?: { state: string; problem: { code: string; message: string } | null };
  };
  unlock: { ok: boolean; error?: { code: string } };
}

/** A second copy of the app on this laptop: the same folder and the same device secret. */
async function startSecondApp(dataDir: string, deviceSecret: Uint8Array): Promise<SecondApp> {
  const secretHex = Buffer.from(deviceSecret).toString('hex');
  const { stdout } = await runNodeScript(script, [dataDir, secretHex]);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as SecondApp;
}

function fingerprint(path: string): { sha: string; mtimeMs: number; size: number } {
  const stat = statSync(path);
  return {
    sha: createHash('sha256').update(readFileSync(path)).digest('hex'),
    mtimeMs: stat.mtimeMs,
    size: stat.size,
  };
}

describe('two processes on one vault', () => {
  it('refuses the second at once with a sentence, before it writes a byte; it opens once the first quits', async () => {
    const practice = await practices.start();
    const vaultFile = join(practice.dataDir, VAULT_FILE_NAME);
    const before = fingerprint(vaultFile);
    const walBefore = statSync(`${vaultFile}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    const entriesBefore = (await logEntries(practice.core)).length;

    const second = await startSecondApp(practice.dataDir, practice.deviceSecret);
    expect(second.status.value).toMatchObject({
      state: 'unavailable',
      problem: { code: 'VAULT_IN_USE', message: errorSentences.VAULT_IN_USE },
    });
    expect(second.unlock).toMatchObject({ ok: false, error: { code: 'VAULT_IN_USE' } });

    expect(fingerprint(vaultFile)).toEqual(before);
    expect(statSync(`${vaultFile}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(walBefore);
    // The first app's log holds nothing from the second.
    const after = await logEntries(practice.core);
    expect(after.length).toBe(entriesBefore + 0);

    await practice.quit();
    const later = await startSecondApp(practice.dataDir, practice.deviceSecret);
    expect(later.status.value).toMatchObject({ state: 'locked', problem: null });
    expect(later.unlock).toMatchObject({ ok: true });
    await unlock(await practice.start());
  });
});
