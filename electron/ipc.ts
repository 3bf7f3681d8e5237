// Binds every channel of the shared/api contract to ipcMain.handle. The sender is checked here;
// the payload (bytes, shared/wire.ts) is measured, decoded, parsed and the reply enveloped by the
// core's dispatchWire (electron/core/dispatch.ts).
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { channels, type Caller, type Channel, type Result } from '../shared/api';
import { errorSentences } from '../shared/errors';
import type { Dispatch } from './core/dispatch';
import { isAppUrl } from './app-origin';

/** Main's own judgement of a frame that already showed our origin: e.g. the main frame of one of our windows. */
export type SenderCheck = (event: IpcMainInvokeEvent, frame: WebFrameMain) => boolean;

export interface IpcHooks {
  /** Which kind of window sent it (main's own record, never the page's word); 'ui' by default. */
  callerOf?: (event: IpcMainInvokeEvent) => Caller;
  /** Called for every refused sender, with what it claimed to be; never with the payload. */
  onForbidden?: (channel: Channel, senderUrl: string | null) => void;
}

const forbidden: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: errorSentences.FORBIDDEN_SENDER },
};

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  dispatch: Dispatch,
  isTrustedSender: SenderCheck,
  hooks: IpcHooks = {},
): void {
  for (const channel of channels) {
    ipcMain.handle(
      channel,
      async (event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> => {
        // A page that navigated away, an iframe or another origin never reaches the vault.
        const frame = event.senderFrame;
        if (!frame || !isAppUrl(frame.url) || !isTrustedSender(event, frame)) {
          hooks.onForbidden?.(channel, frame?.url ?? null);
          return forbidden;
        }
        return dispatch(channel, payload, hooks.callerOf?.(event) ?? 'ui');
      },
    );
  }
}
