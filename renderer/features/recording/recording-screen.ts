// What the Record and closing voice note screens both start from: the client's detail (read once
// per client), main's recording status (polled while the screen is open), and whether this
// client's recording is running or was just saved.
import { useEffect, useState } from 'react';
import { Refusal } from '../../app/call-main';
import { readClientDetail, type ClientDetail } from '../clients/clients-store';
import { useRecording } from './recording-store';

export function useRecordingScreen(clientId: string) {
  const [detail, setDetail] = useState<ClientDetail | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const status = useRecording((state) => state.status);
  const saved = useRecording((state) => state.saved);
  const watch = useRecording((state) => state.watch);

  useEffect(() => watch(), [watch]);
  useEffect(() => {
    let cancelled = false;
    void readClientDetail(clientId).then((read) => {
      if (cancelled) return;
      if (read instanceof Refusal) setLoadProblem(read.message);
      else setDetail(read);
    });
    return () => {
      cancelled = true;
    };
  }, [clientId]);

  const running =
    status !== null && status.clientId === clientId && status.state !== 'stopped' ? status : null;
  return {
    detail,
    loadProblem,
    running,
    savedHere: saved !== null && saved.clientId === clientId,
    name: detail?.client.displayName ?? '',
  };
}

/**
 * When the recording just saved will be destroyed, as main worked it out from the signed terms:
 * read back rather than worked out here. Null until known.
 */
export function useSavedDestroyDate(clientId: string, recordingId: string): number | null {
  const [destroyAfter, setDestroyAfter] = useState<number | null>(null);
  useEffect(() => {
    let cancelled = false;
    void readClientDetail(clientId).then((read) => {
      if (cancelled || read instanceof Refusal) return;
      const recording = read.recordings.find((r) => r.recordingId === recordingId);
      setDestroyAfter(recording?.destroyAfter ?? null);
    });
    return () => {
      cancelled = true;
    };
  }, [clientId, recordingId]);
  return destroyAfter;
}
