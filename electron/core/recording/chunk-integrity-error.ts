// A chunk, marker or recording detail that did not open, and what was done to it.
import { VaultError, type ErrorCode } from '../../../shared/errors';

export class ChunkIntegrityError extends VaultError {
  constructor(
    code: ErrorCode,
    readonly recordingId: string,
    readonly seq: number,
    readonly detail: string,
  ) {
    super(code);
  }
}
