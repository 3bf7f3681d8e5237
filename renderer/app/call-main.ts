// The one way stores read main's answer: window.vault returns an envelope, { ok, value } or
// { ok: false, error }, and a store wants the value or main's refusal, never a thrown string.
import type { Result } from '../../shared/api';
import type { VaultErrorInfo } from '../../shared/errors';

/** Main said no: its code for tests and its sentence for the person. */
export class Refusal {
  constructor(readonly error: VaultErrorInfo) {}

  get message(): string {
    return this.error.message;
  }
}

/** Waits for main's answer and unwraps it: the value, or a Refusal carrying main's error. */
export async function callMain<T>(answer: Promise<Result<T>>): Promise<T | Refusal> {
  const result = await answer;
  return result.ok ? result.value : new Refusal(result.error);
}
