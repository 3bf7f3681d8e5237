// The door every request passes: known channel, a caller the contract admits, payload parsed
// with the contract, reply checked, and any failure turned into a typed envelope. Used by
// electron/ipc.ts (as bytes, dispatchWire) and the Chromium test host.
import {
  MAX_REQUEST_DEPTH,
  admits,
  contract,
  isChannel,
  type Caller,
  type CallerKind,
  type CallersOf,
  type Channel,
  type ParsedRequest,
  type Reply,
  type Result,
} from '../../shared/api';
import type { Actor } from '../../shared/consent';
import { VaultError, errorSentences, type VaultErrorInfo } from '../../shared/errors';
import { decodeRequest, wireBudget } from '../../shared/wire';

/** Who is asking, as main decided: the kind the contract names, and the person if one is signed in. */
export type Asker =
  | { kind: 'therapist' | 'client' | 'auditor'; actor: Actor }
  | { kind: 'locked' | 'capture'; actor: null };

/** What a channel's handler is told of its caller: a person when only people may call it. */
export type ActorOf<C extends Channel> =
  CallersOf<C> extends infer K
    ? K extends 'therapist' | 'client' | 'auditor'
      ? Actor
      : null
    : never;

export type Handlers = {
  [C in Channel]: (request: ParsedRequest<C>, actor: ActorOf<C>) => Promise<Reply<C>> | Reply<C>;
};

/** `caller` is which kind of window sent it, as main (never the page) decided; 'ui' by default. */
export type Dispatch = (
  channel: unknown,
  payload: unknown,
  caller?: Caller,
) => Promise<Result<unknown>>;

export interface DispatchHooks {
  /** Who is asking now: the capture window, or whoever is signed in where the UI asked. */
  whoIsAsking: (caller: Caller) => Asker;
  /** Why nobody signed in may not do this: the error the vault's state gives (locked, absent...). */
  notSignedIn: () => VaultError;
  /** A client in review or an auditor asked outside their role, so main can log it. */
  onOutsideRole?: (channel: Channel, asker: Asker) => void;
  /** Called for every refused request (bad channel, sender or payload), so main can log it. */
  onRefused?: (channel: string, error: VaultErrorInfo) => void;
  /** Called for every internal failure; never receives request payloads (they may hold secrets). */
  onInternalError?: (channel: Channel, error: unknown) => void;
}

const MAX_PATH_PARTS = 6;
const knownKey = /^[A-Za-z][A-Za-z0-9]{0,39}$/;
const MAX_ISSUE_MESSAGE = 160;

/**
 * The first issue in words, for the person and the log; never anything the payload holds. Zod's
 * own message for unknown keys repeats every key it was sent, so only the schema's sentences pass,
 * and a path only when it is short and made of names the contract knows.
 */
function describeIssues(error: {
  issues: ReadonlyArray<{ code?: string; path: PropertyKey[]; message: string }>;
}): string {
  const first = error.issues[0];
  if (!first) return errorSentences.INVALID_REQUEST;
  if (first.code === 'unrecognized_keys' || first.code === 'invalid_key') {
    return `${errorSentences.INVALID_REQUEST} (unexpected field)`;
  }
  const path = first.path;
  const shortPath =
    path.length <= MAX_PATH_PARTS &&
    path.every(
      (part) =>
        (typeof part === 'number' && Number.isSafeInteger(part) && part < 1000) ||
        (typeof part === 'string' && knownKey.test(part)),
    );
  const where = shortPath && path.length > 0 ? `${path.map(String).join('.')}: ` : '';
  const what = first.message.length <= MAX_ISSUE_MESSAGE ? first.message : 'not what was expected';
  return `${errorSentences.INVALID_REQUEST} (${where}${what})`;
}

/**
 * Whether a payload fits in `budget` units (see requestSize in shared/api/common.ts) and
 * MAX_REQUEST_DEPTH levels, counted before zod sees it so a flood costs at most `budget` steps.
 * Stops at the first unit over. Objects other than plain ones, arrays and bytes count as one unit:
 * the schema refuses them anyway.
 */
export function fitsBudget(payload: unknown, budget: number): boolean {
  let units = 0;
  const visit = (value: unknown, depth: number): boolean => {
    units += 1;
    if (typeof value === 'string') units += value.length;
    if (units > budget) return false;
    if (typeof value !== 'object' || value === null) return true;
    if (depth >= MAX_REQUEST_DEPTH) return false;
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      units += value.byteLength;
      return units <= budget;
    }
    if (Array.isArray(value)) {
      // Charged by length first: a sparse array of a billion holes is refused without a walk.
      units += value.length;
      if (units > budget) return false;
      for (const element of value as unknown[]) if (!visit(element, depth + 1)) return false;
      return true;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return true;
    for (const key in value) {
      units += key.length;
      if (!visit((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  };
  try {
    return visit(payload, 0);
  } catch {
    // A getter that throws (only possible in-process): not a request anyone sends.
    return false;
  }
}

const isPerson = (kind: CallerKind) => kind === 'client' || kind === 'auditor';

/** Both ways in: `dispatch` for a request already in memory, `dispatchWire` for the bytes a page sends. */
export interface Door {
  dispatch: Dispatch;
  /** The page's request as shared/wire.ts encodes it: measured before a single value is read. */
  dispatchWire: Dispatch;
}

type Admitted = { channel: Channel; asker: Asker; admitted: boolean };

export function createDispatcher(handlers: Handlers, hooks: DispatchHooks): Door {
  const refuse = (channel: string, error: VaultErrorInfo): Result<never> => {
    hooks.onRefused?.(channel, error);
    return { ok: false, error };
  };

  /** Known channel, and a caller who may at least be told why not; before the payload is looked at. */
  const admit = (channel: unknown, caller: Caller): Admitted | Result<never> => {
    if (!isChannel(channel)) {
      // Never String() a name that is not a string: a 4 MB array would become 16 MB of digits.
      return refuse(typeof channel === 'string' ? channel.slice(0, 80) : typeof channel, {
        code: 'UNKNOWN_CHANNEL',
        message: errorSentences.UNKNOWN_CHANNEL,
      });
    }
    const asker = hooks.whoIsAsking(caller);
    const admitted = admits(channel, asker.kind);
    if (!admitted && isPerson(asker.kind)) {
      // While a client reviews or an auditor reads, main refuses everything else, whatever is sent.
      hooks.onOutsideRole?.(channel, asker);
      return { ok: false, error: { code: 'NOT_ALLOWED', message: errorSentences.NOT_ALLOWED } };
    }
    if (!admitted && (asker.kind === 'capture' || admits(channel, 'capture'))) {
      // The capture window calls its own channels and nothing else; no other window calls those.
      return refuse(channel, {
        code: 'FORBIDDEN_SENDER',
        message: errorSentences.FORBIDDEN_SENDER,
      });
    }
    return { channel, asker, admitted };
  };

  const answer = async (
    { channel, asker, admitted }: Admitted,
    payload: unknown,
  ): Promise<Result<unknown>> => {
    if (!fitsBudget(payload, contract[channel].size)) {
      // A request too large to read is one not understood: the same code, its own few words.
      return refuse(channel, {
        code: 'INVALID_REQUEST',
        message: `${errorSentences.INVALID_REQUEST} (too large)`,
      });
    }
    const parsed = contract[channel].request.safeParse(payload);
    if (!parsed.success) {
      return refuse(channel, { code: 'INVALID_REQUEST', message: describeIssues(parsed.error) });
    }
    try {
      if (!admitted)
        throw asker.kind === 'locked' ? hooks.notSignedIn() : new VaultError('NOT_ALLOWED');
      const handler = handlers[channel] as (
        request: unknown,
        actor: Actor | null,
      ) => Promise<unknown> | unknown;
      const value: unknown = await handler(parsed.data, asker.actor);
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

  return {
    dispatch: async (channel, payload, caller = 'ui') => {
      const entry = admit(channel, caller);
      return 'ok' in entry ? entry : answer(entry, payload);
    },
    dispatchWire: async (channel, bytes, caller = 'ui') => {
      const entry = admit(channel, caller);
      if ('ok' in entry) return entry;
      const decoded = decodeRequest(bytes, wireBudget(contract[entry.channel].size));
      if (!decoded.ok) {
        return refuse(entry.channel, {
          code: 'INVALID_REQUEST',
          message: `${errorSentences.INVALID_REQUEST} (${decoded.reason})`,
        });
      }
      return answer(entry, decoded.value);
    },
  };
}
