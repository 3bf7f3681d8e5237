// The practice's settings: small values in the clear (nothing personal in them), one row a name.
import type { Database } from 'better-sqlite3';

/** `anchorHold`: why every recording is held after an anchor finding (vault/anchor-hold.ts). */
export type SettingName = 'idleLockMinutes' | 'defaultTerms' | 'policyHash' | 'anchorHold';

export class SettingsStore {
  constructor(private readonly db: Database) {}

  get(name: SettingName): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  set(name: SettingName, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }
}
