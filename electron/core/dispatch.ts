// The door every request passes: known channel, payload parsed with the contract, reply checked,
// and any failure turned into a typed envelope. Used by electron/ipc.ts and the Chromium test host.
import {
  callerOf,
  contract,
  isChannel,
  type Caller,
  type Channel,
  type ParsedRequest,
  type Reply,
  type Result,
} from '../../shared/api';
import { VaultError, errorSentences, type VaultErrorInfo } from '../../shared/errors';

export type Handlers = {
  [C in Channel]: (request: ParsedRequest<C>) => Promise<Reply<C>> | Reply<C>;
};

/** `caller` is which kind of window sent it, as main (never the page) decided; 'ui' by default. */
export type Dispatch = (
  channel: unknown,
  payload: unknown,
  caller?: Caller,
) => Promise<Result<unknown>>;

export interface DispatchHooks {
  /** Called for every refused request (bad channel or payload), so main can log it. */
  onRefused?: (channel: string, error: VaultErrorInfo) => void;
  /** Called for every internal failure; never receives request payloads (they may hold secrets). */
  onInternalError?: (channel: Channel, error: unknown) => void;
}

function describeIssues(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): string {
  const first = error.issues[0];
  if (!first) return errorSentences.INVALID_REQUEST;
  const where = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return `${errorSentences.INVALID_REQUEST} (${where}${first.message})`;
}

export function createDispatcher(handlers: Handlers, hooks: DispatchHooks = {}): Dispatch {
  return async (channel, payload, caller = 'ui') => {
    if (!isChannel(channel)) {
      const error = { code: 'UNKNOWN_CHANNEL', message: errorSentences.UNKNOWN_CHANNEL } as const;
      hooks.onRefused?.(String(channel).slice(0, 80), error);
      return { ok: false, error };
    }
    if (callerOf(channel) !== caller) {
      const error = { code: 'FORBIDDEN_SENDER', message: errorSentences.FORBIDDEN_SENDER } as const;
      hooks.onRefused?.(channel, error);
      return { ok: false, error };
    }
    const parsed = contract[channel].request.safeParse(payload);
    if (!parsed.success) {
      const error: VaultErrorInfo = {
        code: 'INVALID_REQUEST',
        message: describeIssues(parsed.error),
      };
      hooks.onRefused?.(channel, error);
      return { ok: false, error };
    }
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown> | unknown;
      const value: unknown = await handler(parsed.data);
      // A reply that breaks the contract is a bug in main: refuse to send it.
      const checked = contract[channel].reply.safeParse(value);
      if (!checked.success) throw new Error(`reply for ${channel} broke the contract`);
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof VaultError) return { ok: false, error: error.toInfo() };
      hooks.onInternalError?.(channel, error);
      return { ok: false, error: { code: 'INTERNAL', message: errorSentences.INTERNAL } };
    }
  };
}
