// The device secret: 32 random bytes kept outside the vault, encrypted by the OS keychain through
// safeStorage. It is mixed into short client PINs, so a stolen vault file alone cannot be
// brute-forced offline; a keychain that stores it in plain text would defeat that.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { passwordStoreVariable } from './password-store';

export const deviceSecretBytes = 32;

export type DeviceSecretResult =
  | { ok: true; deviceSecret: Uint8Array; created: boolean }
  | { ok: false; title: string; message: string };

// The async methods: the sync ones are deprecated in Electron 45. getSelectedStorageBackend
// exists on Linux only.
type SecretStore = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export interface DeviceSecretOptions {
  safeStorage: SecretStore;
  /** userData/device-secret */
  file: string;
  platform: NodeJS.Platform;
  random?: (size: number) => Uint8Array;
}

const title = 'Session Vault cannot start';

export const plainTextKeychainSentence = `This computer has no keychain that Session Vault can use, so its device key could only be stored in plain text, and Session Vault will not run that way. Install and start a Secret Service for this desktop session (GNOME Keyring: the gnome-keyring package; or KeePassXC with its Secret Service turned on; or KWallet), then start Session Vault again. To choose the keychain yourself, set ${passwordStoreVariable} to gnome-libsecret, kwallet5 or kwallet6.`;

export const keychainBusySentence =
  'This computer’s keychain did not answer (it may be locked, or still starting). Nothing was changed. Unlock the keychain, then start Session Vault again.';

async function storageRefusal(options: DeviceSecretOptions): Promise<string | null> {
  // Checked first: on Linux the async API says "available" with basic_text, because it falls
  // back to a built-in key that protects nothing.
  if (
    options.platform === 'linux' &&
    options.safeStorage.getSelectedStorageBackend?.() === 'basic_text'
  ) {
    return plainTextKeychainSentence;
  }
  if (!(await options.safeStorage.isAsyncEncryptionAvailable())) {
    return 'This computer offers no protected place to keep Session Vault’s device key (the system keychain is not available). Session Vault will not run without it, so that a copied vault cannot be opened elsewhere. Sign in to a desktop session with a keychain and start Session Vault again.';
  }
  return null;
}

async function seal(options: DeviceSecretOptions, secret: Uint8Array): Promise<void> {
  const encrypted = (
    await options.safeStorage.encryptStringAsync(Buffer.from(secret).toString('base64'))
  ).toString('base64');
  await mkdir(path.dirname(options.file), { recursive: true });
  const temporary = `${options.file}.${process.pid}.tmp`;
  await writeFile(temporary, encrypted, { mode: 0o600 });
  await rename(temporary, options.file);
}

export async function loadDeviceSecret(options: DeviceSecretOptions): Promise<DeviceSecretResult> {
  const refusal = await storageRefusal(options);
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
    let secret: Uint8Array;
    let shouldReEncrypt: boolean;
    try {
      const opened = await options.safeStorage.decryptStringAsync(
        Buffer.from(stored.trim(), 'base64'),
      );
      secret = new Uint8Array(Buffer.from(opened.result, 'base64'));
      shouldReEncrypt = opened.shouldReEncrypt;
      if (secret.length !== deviceSecretBytes)
        throw new Error('device secret has the wrong length');
    } catch (error) {
      // The keychain is locked or still starting: nothing is wrong with the key.
      if (error instanceof Error && /temporarily unavailable/i.test(error.message))
        return { ok: false, title, message: keychainBusySentence };
      // Never replace it: a new secret would silently lock every client out of their recordings.
      return {
        ok: false,
        title,
        message:
          'Session Vault’s device key could not be opened with this computer’s keychain (the keychain may have been reset, or the app folder copied from another computer). Nothing was changed. Restore the keychain, or ask for help before going further.',
      };
    }
    // The keychain rotated its key: store the same secret under the new one. If that fails, the
    // old file still opens, so the app runs.
    if (shouldReEncrypt) await seal(options, secret).catch(() => undefined);
    return { ok: true, deviceSecret: secret, created: false };
  }

  const secret = (options.random ?? randomBytes)(deviceSecretBytes);
  try {
    await seal(options, secret);
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
