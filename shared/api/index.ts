// The IPC contract: every request and reply, and who may call each channel, declared once in the
// domain files beside this one. Main's handler table satisfies it, each window's preload builds
// its part of window.vault from it, and every payload is parsed with it at the door.
import type { z } from 'zod';
import type { VaultErrorInfo } from '../errors';
import { auditContract } from './audit';
import { clientContract } from './clients';
import type { CallerKind } from './common';
import { consentContract } from './consent';
import { microphoneCaptureContract, microphoneContract } from './microphone';
import { playbackContract } from './playback';
import { captureContract, recordingContract } from './recording';
import { reviewContract } from './review';
import { vaultContract } from './vault';

export * from './audit';
export * from './clients';
export * from './common';
export * from './consent';
export * from './microphone';
export * from './playback';
export * from './recording';
export * from './review';
export * from './vault';

export const contract = {
  ...vaultContract,
  ...auditContract,
  ...clientContract,
  ...consentContract,
  ...recordingContract,
  ...playbackContract,
  ...reviewContract,
  ...captureContract,
  ...microphoneContract,
  ...microphoneCaptureContract,
} as const satisfies Record<
  string,
  { callers: readonly CallerKind[]; size: number; request: z.ZodType; reply: z.ZodType }
>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Request<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<Contract[C]['request']>;
export type Reply<C extends Channel> = z.output<Contract[C]['reply']>;
/** Who may call channel C. */
export type CallersOf<C extends Channel> = Contract[C]['callers'][number];

export type Result<T> = { ok: true; value: T } | { ok: false; error: VaultErrorInfo };

export const channels = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

export function admits(channel: Channel, caller: CallerKind): boolean {
  return (contract[channel].callers as readonly CallerKind[]).includes(caller);
}

/** The channels a window's preload exposes: the capture window's own, or every other one. */
export function channelsFor(window: 'ui' | 'capture'): Channel[] {
  return channels.filter((channel) => admits(channel, 'capture') === (window === 'capture'));
}

type DomainOf<C extends string> = C extends `${infer D}.${string}` ? D : never;
type MethodOf<C extends string, D extends string> = C extends `${D}.${infer M}` ? M : never;

/** The methods for some channels, grouped by domain (vault.status, session.unlock...). */
export type ApiOf<Cs extends Channel> = {
  [D in DomainOf<Cs>]: {
    [M in MethodOf<Cs, D>]: `${D}.${M}` extends infer C extends Channel
      ? (request: Request<C>) => Promise<Result<Reply<C>>>
      : never;
  };
};

/** Channels only the capture window may call. */
export type CaptureChannel = {
  [C in Channel]: 'capture' extends CallersOf<C> ? C : never;
}[Channel];

/** window.vault in the main window: one named method per channel but the capture window's. */
export type VaultApi = ApiOf<Exclude<Channel, CaptureChannel>>;
/** window.vault in the capture window: the capture channels and nothing else. */
export type CaptureApi = ApiOf<CaptureChannel>;
