// What the rest of the core may ask of retention: destroy what is due, or one recording now.
export interface Destroyer {
  /**
   * Destroys what is due now; returns how many recordings were destroyed. `revokedClientId`: a
   * revocation just ended this client's consent, so their recordings due now go even while a
   * clock leap holds destruction by date.
   */
  sweep(trigger: string, revokedClientId?: string): number;
  /**
   * The same sweep without a count: the first candidates are checked and destroyed within this
   * call, the rest a batch per turn of main (each record's signature checked in its turn), so a
   * sweep of many after time away never holds main for all of them at once.
   */
  sweepInTurns(trigger: string): void;
  /** Destroys one recording at once, whatever its deadline (the therapist's or client's request). */
  destroyNow(recordingId: string, reason: string, actorRole: 'therapist' | 'client'): void;
  /** Destroys again what a restored older copy brought back (the anchor already counts it). */
  destroyAgain(recordingId: string, reason: string): void;
  /** Removes the next slice of ciphertext a destruction left (after a quit or a crash too). */
  continueRemoval(): void;
  /** The core is closing: removal stops between slices and resumes at the next start. */
  stop(): void;
}
