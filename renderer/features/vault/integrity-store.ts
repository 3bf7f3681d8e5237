// Tamper alarms as main last listed them (vault.integrity): what did not verify, whose it is, why.
import { create } from 'zustand';
import type { Reply } from '../../../shared/api';
import { callMain, Refusal } from '../../app/call-main';

export type IntegrityAlarm = Reply<'vault.integrity'>['alarms'][number];

interface IntegrityState {
  alarms: IntegrityAlarm[];
  loadAlarms(): Promise<void>;
}

export const useIntegrity = create<IntegrityState>()((set) => ({
  alarms: [],
  async loadAlarms() {
    const answer = await callMain(window.vault.vault.integrity({}));
    // A refusal (locked meanwhile) leaves the last list: an alarm is never hidden by a lock.
    if (!(answer instanceof Refusal)) set({ alarms: answer.alarms });
  },
}));
