// The background whole-file check (vault.fileCheck): said on Home only when it found damage or
// could not run, since a healthy file needs no words.
import { useEffect } from 'react';
import { useLibrary } from './library-store';

export function FileCheckNotice() {
  const check = useLibrary((state) => state.fileCheck);
  const loadFileCheck = useLibrary((state) => state.loadFileCheck);
  useEffect(() => {
    void loadFileCheck();
  }, [loadFileCheck]);
  if (check === null || (check.state !== 'damaged' && check.state !== 'failed')) return null;
  return (
    <div role="alert" className="notice notice-problem" data-testid="file-check">
      {check.message}
    </div>
  );
}
