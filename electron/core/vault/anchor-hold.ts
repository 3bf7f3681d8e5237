// Every recording held after an anchor finding that cannot be redone by name: the anchor was
// missing or forged, or an older copy undid more closing events than the anchor names one by one.
// Nothing plays or records (a revoked consent may read active, a destroyed recording may be back)
// and nothing is destroyed because of it, until the therapist confirms. Kept in the vault, so a
// restart does not lift it; the keychain anchor pins it (anchor-pins.ts), so clearing the setting
// in the file does not lift it either.
import { VaultError } from '../../../shared/errors';
import type { OpenVault } from './open-vault';

export interface AnchorHold {
  kind: 'rollback' | 'anchor-missing';
  at: number;
}

/** The hold the anchor knows of, for each open vault: it stands whatever the file says. */
const pinnedHolds = new WeakMap<OpenVault, AnchorHold>();

export function pinAnchorHold(vault: OpenVault, hold: AnchorHold | null): void {
  if (hold) pinnedHolds.set(vault, hold);
  else pinnedHolds.delete(vault);
}

/** The hold as the file has it, whatever the anchor knows. */
export function storedAnchorHold(vault: OpenVault): AnchorHold | null {
  const stored = vault.settings.get('anchorHold');
  if (!stored) return null;
  const [kind, at] = stored.split('|');
  // Whatever else stands there still holds: a hold is never lifted by an unreadable value.
  return { kind: kind === 'rollback' ? 'rollback' : 'anchor-missing', at: Number(at) || 0 };
}

/** The hold in force: the file's, or the one the anchor pinned if the file lost it. */
export function anchorHoldOf(vault: OpenVault): AnchorHold | null {
  return storedAnchorHold(vault) ?? pinnedHolds.get(vault) ?? null;
}

export function setAnchorHold(vault: OpenVault, hold: AnchorHold | null): void {
  vault.settings.set('anchorHold', hold ? `${hold.kind}|${hold.at}` : '');
}

/** Refuses play and record while held; `refused` logs the refusal first. */
export function refuseWhileAnchorHeld(vault: OpenVault, refused: (reason: string) => void): void {
  const hold = anchorHoldOf(vault);
  if (!hold) return;
  refused(`held until the therapist confirms (${hold.kind})`);
  throw new VaultError('VAULT_HELD');
}
