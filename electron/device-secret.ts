// The device secret: 32 random bytes kept outside the vault, encrypted by the OS keychain through
// safeStorage. It is mixed into short client PINs, so a stolen vault file alone cannot be
// brute-forced offline; a keychain that stores it in plain text would defeat that.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SafeStorage } from 'electron';

export const deviceSecretBytes = 32;

export type DeviceSecretResult =
  | { ok: true; deviceSecret: Uint8Array; created: boolean }
  | { ok: false; title: string; message: string };

type SecretStore = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export interface DeviceSecretOptions {
  safeStorage: SecretStore;
  /** userData/device-secret */
  file: string;
  platform: NodeJS.Platform;
  random?: (size: number) => Uint8Array;
}

const title = 'Session Vault cannot start';

function storageRefusal(options: DeviceSecretOptions): string | null {
  if (!options.safeStorage.isEncryptionAvailable()) {
    return 'This computer offers no protected place to keep Session Vault’s device key (the system keychain is not available). Session Vault will not run without it, so that a copied vault cannot be opened elsewhere. Sign in to a desktop session with a keychain and start Session Vault again.';
  }
  if (
    options.platform === 'linux' &&
    options.safeStorage.getSelectedStorageBackend() === 'basic_text'
  ) {
    return 'This computer has no keychain (such as GNOME Keyring or KWallet) running, so Session Vault’s device key could only be stored in plain text. Session Vault will not run that way. Start a keychain for this desktop session, then start Session Vault again.';
  }
  return null;
}

export async function loadDeviceSecret(options: DeviceSecretOptions): Promise<DeviceSecretResult> {
  const refusal = storageRefusal(options);
  if (refusal) return { ok: false, title, message: refusal };

  let stored: string | null = null;
  try {
    stored = await readFile(options.file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return {
        ok: false,
        title,
        message:
          'Session Vault could not read its device key file. Check that the app folder can be read, then start Session Vault again.',
      };
    }
  }

  if (stored !== null) {
    try {
      const secret = Buffer.from(
        options.safeStorage.decryptString(Buffer.from(stored.trim(), 'base64')),
        'base64',
      );
      if (secret.length !== deviceSecretBytes)
        throw new Error('device secret has the wrong length');
      return { ok: true, deviceSecret: new Uint8Array(secret), created: false };
    } catch {
      // Never replace it: a new secret would silently lock every client out of their recordings.
      return {
        ok: false,
        title,
        message:
          'Session Vault’s device key could not be opened with this computer’s keychain (the keychain may have been reset, or the app folder copied from another computer). Nothing was changed. Restore the keychain, or ask for help before going further.',
      };
    }
  }

  const secret = (options.random ?? randomBytes)(deviceSecretBytes);
  try {
    const encrypted = options.safeStorage
      .encryptString(Buffer.from(secret).toString('base64'))
      .toString('base64');
    await mkdir(path.dirname(options.file), { recursive: true });
    const temporary = `${options.file}.${process.pid}.tmp`;
    await writeFile(temporary, encrypted, { mode: 0o600 });
    await rename(temporary, options.file);
  } catch {
    return {
      ok: false,
      title,
      message:
        'Session Vault could not store its device key. Check that the app folder can be written and the keychain is unlocked, then start Session Vault again.',
    };
  }
  return { ok: true, deviceSecret: new Uint8Array(secret), created: true };
}
