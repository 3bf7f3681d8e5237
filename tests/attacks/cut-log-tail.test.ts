// Attack: cut the access log's last entries (the signed checkpoints after them stay in the file), with the app
// closed. Before issue 11 the shortened log verified intact, in the app and in `doctor`.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyExtends } from '../../cli/verify';
import { integrityNoticeSentences } from '../../shared/errors';
import { call } from '../unit/helpers/practice-helpers';
import {
  cutLogTail,
  exportBundle,
  logEntries,
  practiceWithRecording,
  status,
  unlock,
  type Practice,
} from './attack-helpers';

let practice: Practice | null = null;
afterEach(() => {
  practice?.cleanup();
  practice = null;
});

describe('cut the log tail, keeping its checkpoints', () => {
  it('is caught on this laptop by the anchor, and anywhere by --previous with an older export', async () => {
    practice = await practiceWithRecording();
    // Entries worth hiding: the therapist changes a setting twice after the last checkpoint.
    await call(practice.core, 'settings.setIdleLock', { minutes: 7 });
    await call(practice.core, 'settings.setIdleLock', { minutes: 9 });
    const older = await exportBundle(practice);
    const fullLog = await logEntries(practice.core);
    const keepThrough = fullLog.find((e) => e.action === 'settings.change')!.seq - 1;
    await practice.quit();
    const headAtQuit = fullLog.at(-1)!.seq + 1;

    cutLogTail(practice.dataDir, keepThrough, 'kept');
    const core = await practice.start();

    const seen = await status(core);
    expect(seen.integrity).toMatchObject({
      kind: 'rollback',
      missingEntries: headAtQuit - keepThrough,
      redone: 0,
      message: integrityNoticeSentences.rollback,
    });
    await unlock(core);
    const log = await logEntries(core);
    expect(log.find((e) => e.action === 'vault.rollback')).toMatchObject({
      seq: keepThrough + 1,
      actorRole: 'system',
      reason: `${headAtQuit - keepThrough} log entries and 0 destructions, revocations or ends of therapy missing; 0 of them cannot be named`,
    });

    // Elsewhere, without the anchor: an auditor who kept the older export sees the history break.
    const newer = await exportBundle(practice);
    const compared = await verifyExtends(newer, older);
    expect(compared.ok).toBe(false);
    expect(compared.exitCode).not.toBe(0);
    expect(compared.problem).toMatch(/differs|removed|does not/);
  });
});
