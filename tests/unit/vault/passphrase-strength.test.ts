// The passphrase estimate (zxcvbn-ts) that the meter and main share: names on the vault and the
// year make a passphrase weak, however many kinds of characters it mixes.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/create-core';
import { assessPassphrase, nameWords } from '../../../shared/passphrase';

const PRACTICE = 'Riverside Counselling';
const THERAPIST = 'Jane Example';
const LIGHT_KDF = { opsLimit: 2, memLimitBytes: 8 * 1024 * 1024 };

describe('assessPassphrase', () => {
  it('rates the practice’s name and the year as weak', () => {
    const rated = assessPassphrase('Riverside2025!', [PRACTICE, THERAPIST]);
    expect(rated.acceptable).toBe(false);
    expect(rated.score).toBeLessThan(3);
    expect(rated.hint).toContain('names, dates and common words');
  });

  it('rates the therapist’s own name as weak', () => {
    expect(assessPassphrase('JaneExample1!', [PRACTICE, THERAPIST]).acceptable).toBe(false);
    expect(assessPassphrase('JaneExample1!', [PRACTICE, 'Dr. Jane Example']).acceptable).toBe(
      false,
    );
  });

  it('accepts unrelated words, and still refuses the short and the common', () => {
    expect(assessPassphrase('copper heron tidal lantern 47', [PRACTICE, THERAPIST])).toMatchObject({
      acceptable: true,
      score: 4,
    });
    expect(assessPassphrase('password1').acceptable).toBe(false);
    expect(assessPassphrase('short').acceptable).toBe(false);
    expect(assessPassphrase('').score).toBe(0);
  });

  it('tries every name, word and run of words', () => {
    expect(nameWords(['Dr. Jane Example'])).toEqual([
      'Dr. Jane Example',
      'Dr',
      'DrJane',
      'DrJaneExample',
      'Jane',
      'JaneExample',
      'Example',
    ]);
  });
});

describe('main applies the same estimate', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sv-passphrase-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a vault or an auditor whose passphrase is made of their names', async () => {
    const core = await createCore({
      dataDir,
      deviceSecret: new Uint8Array(randomBytes(32)),
      kdf: LIGHT_KDF,
    });
    try {
      const create = (passphrase: string) =>
        core.dispatch('vault.create', {
          practiceName: 'Riverside',
          therapistName: THERAPIST,
          passphrase,
        });
      expect(await create('Riverside2025!')).toMatchObject({
        ok: false,
        error: { code: 'WEAK_PASSPHRASE' },
      });
      expect(await create('JaneExample1!')).toMatchObject({
        ok: false,
        error: { code: 'WEAK_PASSPHRASE' },
      });
      expect(await create('copper heron tidal lantern 47')).toMatchObject({ ok: true });
      expect(
        await core.dispatch('auditors.add', {
          signInName: 'Sam Auditor',
          passphrase: 'SamAuditor2025!',
        }),
      ).toMatchObject({ ok: false, error: { code: 'WEAK_PASSPHRASE' } });
      expect(
        await core.dispatch('auditors.add', {
          signInName: 'Sam Auditor',
          passphrase: 'granite meadow lighthouse violet 31',
        }),
      ).toMatchObject({ ok: true });
    } finally {
      core.close();
    }
  });
});
