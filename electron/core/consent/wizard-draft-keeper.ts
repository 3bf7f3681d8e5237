// The consent wizard's unsigned draft, kept so that an idle lock does not lose a walk-through.
// The page cannot keep it: a lock clears the page's state, so that nothing of the therapist's
// session is left for whoever holds the laptop next. So main keeps it, in memory for this run
// only, sealed with the master key: while the vault is locked that key is wiped and what stays
// here cannot be read; it never reaches the disk, and a quit forgets it.
import { keptWizardDraftSchema, type KeptWizardDraft } from '../../../shared/api';
import { open, seal, utf8, type Sealed } from '../platform/crypto';
import type { VaultService } from '../vault/vault-service';

const purpose = 'consent-wizard-draft';

export class WizardDraftKeeper {
  private kept: { clientId: string; sealed: Sealed } | null = null;

  constructor(private readonly lifecycle: VaultService) {}

  /** Keeps the therapist's latest draft in place of the last one; null forgets it. */
  keep(draft: KeptWizardDraft | null): void {
    const { masterKey } = this.lifecycle.unlocked();
    if (draft === null) {
      this.kept = null;
      return;
    }
    const sealed = seal(
      masterKey,
      utf8.encode(JSON.stringify(draft)),
      utf8.encode(`${purpose}:${draft.clientId}`),
    );
    this.kept = { clientId: draft.clientId, sealed };
  }

  /** The kept draft, opened with the therapist's key; null when there is none. */
  read(): KeptWizardDraft | null {
    const { masterKey } = this.lifecycle.unlocked();
    if (!this.kept) return null;
    const plain = open(
      masterKey,
      this.kept.sealed,
      utf8.encode(`${purpose}:${this.kept.clientId}`),
    );
    // Sealed under another master key (a vault made anew in this run): nothing to come back to.
    const parsed = plain ? keptWizardDraftSchema.safeParse(JSON.parse(utf8.decode(plain))) : null;
    if (!parsed?.success) {
      this.kept = null;
      return null;
    }
    return parsed.data;
  }

  /** A consent was signed for this client: its walk-through is over. */
  forget(clientId: string): void {
    if (this.kept?.clientId === clientId) this.kept = null;
  }
}
