// The practice's address and phone and the therapist's licence: sealed with the master key, checked
// at the door, kept across a lock, and refused (changing nothing) when a field is wrong.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import { PASSPHRASE, fakeClock } from '../helpers/kernel-helpers';
import { call, refusal, signedClient, testCore, therapistVault } from '../helpers/practice-helpers';

const details = {
  practiceName: 'Riverside Counselling',
  address: '12 Mill Lane, Hebden Bridge HX7 8AB',
  phone: '+44 1422 555 010',
  therapistName: 'Dana Reyes',
  licence: {
    kind: 'Registered Counsellor',
    number: 'BACP 0042917',
    jurisdiction: 'United Kingdom',
  },
};

let vault: Awaited<ReturnType<typeof therapistVault>> | null = null;
afterEach(() => {
  vault?.close();
  vault = null;
});

describe('the practice details in Settings', () => {
  test('start empty, save, survive a lock, and rename the practice in the session', async () => {
    vault = await therapistVault('sv-practice-');
    const first = await call(vault.core, 'settings.practice');
    expect(first).toEqual({
      practiceName: 'Riverside',
      therapistName: 'Dr. Jane Example',
      address: '',
      phone: '',
      licence: { kind: '', number: '', jurisdiction: '' },
    });
    expect(await call(vault.core, 'settings.setPractice', details)).toEqual(details);
    await call(vault.core, 'session.lock');
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await call(vault.core, 'settings.practice')).toEqual(details);
    const status = (await call(vault.core, 'vault.status')) as {
      session: { practiceName: string; therapistName: string };
    };
    expect(status.session.practiceName).toBe('Riverside Counselling');
    expect(status.session.therapistName).toBe('Dana Reyes');
  });

  test('the licence and the address are sealed: the file never holds them in the clear', async () => {
    vault = await therapistVault('sv-practice-');
    await call(vault.core, 'settings.setPractice', details);
    await call(vault.core, 'session.lock');
    const path = join(vault.dataDir, VAULT_FILE_NAME);
    const bytes = [path, `${path}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('');
    expect(bytes).toContain('sealed_fields');
    for (const secret of ['BACP 0042917', 'Mill Lane', 'Registered Counsellor', '555 010'])
      expect(bytes).not.toContain(secret);
  });

  test('a wrong field is refused with its sentence, and nothing changes', async () => {
    vault = await therapistVault('sv-practice-');
    await call(vault.core, 'settings.setPractice', details);
    const wrongPhone = await refusal(vault.core, 'settings.setPractice', {
      ...details,
      phone: 'call me',
    });
    expect(wrongPhone.code).toBe('INVALID_REQUEST');
    const noName = await refusal(vault.core, 'settings.setPractice', {
      ...details,
      therapistName: '  ',
    });
    expect(noName.code).toBe('INVALID_REQUEST');
    expect(await call(vault.core, 'settings.practice')).toEqual(details);
  });

  test('only the therapist asks', async () => {
    vault = await therapistVault('sv-practice-');
    await call(vault.core, 'session.lock');
    expect((await refusal(vault.core, 'settings.practice')).code).not.toBe(undefined);
  });
});

describe('saving a consent as a PDF file', () => {
  test('without a window to print, main refuses in words and points to Print', async () => {
    vault = await therapistVault('sv-practice-');
    const error = await refusal(vault.core, 'consent.savePdf', {
      clientId: '0'.repeat(32),
      version: 1,
    });
    expect(error.code).toBe('NOT_ALLOWED');
    expect(error.message).toContain('Save as PDF');
  });
});

test('with a window, main offers the client and version as the name, and only for a version on file', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-consent-pdf-'));
  const clock = fakeClock();
  const offered: string[] = [];
  const core = await testCore(dataDir, clock, {
    consentPdf: {
      save: async (name) => {
        offered.push(name);
        return join(dataDir, name);
      },
    },
  });
  try {
    await call(core, 'vault.create', {
      practiceName: 'Riverside',
      therapistName: 'Dr. Jane Example',
      passphrase: PASSPHRASE,
    });
    const client = await signedClient(core, clock.now(), { name: 'Alex Example' });
    expect(await call(core, 'consent.savePdf', { clientId: client.clientId, version: 1 })).toEqual({
      saved: true,
    });
    expect(offered).toEqual(['Consent - Alex Example - version 1.pdf']);
    await refusal(core, 'consent.savePdf', { clientId: client.clientId, version: 2 });
    expect(offered).toHaveLength(1);
  } finally {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
