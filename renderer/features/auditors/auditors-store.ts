// The auditors main knows, and the therapist's changes to them. The screen keeps what it shows;
// this is where those requests go to main.
import type { Reply } from '../../../shared/api';
import { callMain } from '../../app/call-main';

export type Auditor = Reply<'auditors.list'>['auditors'][number];
export type RevealedClients = Reply<'audit.revealClients'>;

export const auditorsStore = {
  list: () => callMain(window.vault.auditors.list({})),
  add: (signInName: string, passphrase: string) =>
    callMain(window.vault.auditors.add({ signInName, passphrase })),
  remove: (auditorId: string) => callMain(window.vault.auditors.remove({ auditorId })),
  revealClients: () => callMain(window.vault.audit.revealClients({})),
  /** The names the therapist gave, from the list sealed to the audit key (main opens it). */
  names: () => callMain(window.vault.audit.names({})),
};
