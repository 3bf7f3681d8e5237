// The consent wizard's unsigned draft, handed to main as it is filled in. A lock clears this
// page's state (nothing of the therapist's session stays for whoever holds the laptop next), so
// main keeps the draft, sealed in its memory for this run, and gives it back after the unlock.
import type { KeptWizardDraft } from '../../../shared/api';
import { callMain, Refusal } from '../../app/call-main';

/** Null forgets it (the walk-through was left). Best effort: a refusal costs only the resume. */
export async function keepWizardDraft(draft: KeptWizardDraft | null): Promise<void> {
  await callMain(window.vault.consent.keepDraft({ draft }));
}

export async function readKeptWizardDraft(): Promise<KeptWizardDraft | null> {
  const kept = await callMain(window.vault.consent.keptDraft({}));
  return kept instanceof Refusal ? null : kept;
}
