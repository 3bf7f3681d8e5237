// What the rest of the core may ask of retention: destroy what is due, or one recording now.
// Each destruction is named in the rollback anchor before its key goes (sweeper.ts), so these
// resolve once the keychain write was tried and the first batch of keys is gone.
export interface Destroyer {
  /**
   * Destroys what is due now; resolves with how many recordings were due. `revokedClientId`: a
   * revocation just ended this client's consent, so their recordings due now go even while a
   * clock leap holds destruction by date.
   */
  sweep(trigger: string, revokedClientId?: string): Promise<number>;
  /**
   * The same sweep without a count, in steps of main's background queue from the next turn on (a
   * batch of candidates' signatures checked, a batch of keys destroyed), so a sweep of many after
   * time away never holds main for all of them at once. Resolves when every candidate was checked
   * and every key due is named in the anchor and gone.
   */
  sweepInTurns(trigger: string): Promise<void>;
  /** Destroys one recording at once, whatever its deadline (the therapist's or client's request). */
  destroyNow(recordingId: string, reason: string, actorRole: 'therapist' | 'client'): Promise<void>;
  /**
   * Destroys again what a restored older copy brought back: the anchor already counts it, or
   * (`count`) named it ahead of a commit this file lacks, and it is counted now.
   */
  destroyAgain(recordingId: string, reason: string, ledger?: 'count' | 'already-counted'): void;
  /** Queues the removal of ciphertext a destruction left (after a quit or a crash too). */
  continueRemoval(): void;
  /** The core is closing: removal stops between slices and resumes at the next start. */
  stop(): void;
}
