// Which Linux keychain Chromium uses for safeStorage. Chromium guesses it from XDG_CURRENT_DESKTOP
// and falls back to plain text on desktops it does not know (Sway, i3, Hyprland...) even when a
// Secret Service runs there, so the app names the backend itself, before 'ready'.

/** The values Chromium's --password-store accepts that keep the key in a real keychain. */
export const keychainStores = ['gnome-libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const;
export type KeychainStore = (typeof keychainStores)[number];

/** Set this to one of keychainStores to choose the keychain (for example on KDE without KWallet). */
export const passwordStoreVariable = 'SESSION_VAULT_PASSWORD_STORE';

export interface PasswordStoreContext {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The process's own command line (process.argv), not switches appended by a test loader. */
  argv: readonly string[];
}

export type PasswordStoreChoice =
  | { kind: 'switch'; store: KeychainStore }
  | { kind: 'as-given' }
  | { kind: 'invalid'; value: string };

function kdeVersion(env: NodeJS.ProcessEnv): KeychainStore | null {
  const desktops = (env.XDG_CURRENT_DESKTOP ?? '').toUpperCase().split(':');
  if (!desktops.includes('KDE')) return null;
  const version = env.KDE_SESSION_VERSION;
  return version === '6' ? 'kwallet6' : version === '5' ? 'kwallet5' : 'kwallet';
}

/**
 * The person's choice wins (a --password-store on the command line, then the variable); otherwise
 * KWallet on KDE and the Secret Service everywhere else, which GNOME Keyring, KeePassXC and
 * KWallet 5.97+ all provide.
 */
export function choosePasswordStore(context: PasswordStoreContext): PasswordStoreChoice {
  if (context.platform !== 'linux') return { kind: 'as-given' };
  if (context.argv.some((arg) => arg.startsWith('--password-store'))) return { kind: 'as-given' };
  const wanted = context.env[passwordStoreVariable]?.trim();
  if (wanted) {
    return (keychainStores as readonly string[]).includes(wanted)
      ? { kind: 'switch', store: wanted as KeychainStore }
      : { kind: 'invalid', value: wanted };
  }
  return { kind: 'switch', store: kdeVersion(context.env) ?? 'gnome-libsecret' };
}
