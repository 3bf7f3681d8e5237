// Main's answer to "would these terms move any recording's destruction date?", asked again
// whenever the terms on the sign step change.
import { useEffect, useState } from 'react';
import type { Reply } from '../../../shared/api';
import { callMain, Refusal } from '../../app/call-main';
import type { SignDraft } from './ConsentWizardDraft';

export type MovedDeadline = Reply<'consent.previewDeadlines'>['moved'][number];

/** null while asking, or when there is nothing to ask (no terms yet, or main refused). */
export function useMovedDeadlines(
  clientId: string,
  terms: SignDraft | null,
): MovedDeadline[] | null {
  const key = terms ? JSON.stringify(terms) : null;
  const [moved, setMoved] = useState<{ key: string; list: MovedDeadline[] } | null>(null);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    void callMain(
      window.vault.consent.previewDeadlines({ clientId, terms: JSON.parse(key) as SignDraft }),
    ).then((answer) => {
      if (current && !(answer instanceof Refusal)) setMoved({ key, list: answer.moved });
    });
    return () => {
      current = false;
    };
  }, [clientId, key]);
  return moved && moved.key === key ? moved.list : null;
}
