// microphone.* and the capture window's side of a check (capture.microphones, capture.testLevel,
// capture.testDone): which input records, and a short level test. Not logged: see
// recording/microphone-check.ts.
import type { Handlers } from '../dispatch';
import type { CoreContext } from './context';

export function microphoneHandlers(context: CoreContext) {
  const { microphones } = context;
  return {
    'microphone.list': () => {
      context.active();
      return microphones.list();
    },
    'microphone.choose': (request) => {
      context.active();
      microphones.choice.set(request.deviceId);
      return {};
    },
    'microphone.test': (request) => {
      context.active();
      return microphones.test(request.deviceId);
    },
    'microphone.testLevel': () => microphones.level(),
    'capture.microphones': (request) => {
      microphones.listed(request.checkId, request.microphones);
      return {};
    },
    'capture.testLevel': (request) => {
      microphones.testLevel(request.checkId, request.rms);
      return {};
    },
    'capture.testDone': (request) => {
      microphones.testDone(request.checkId);
      return {};
    },
  } satisfies Partial<Handlers>;
}
