// A second step before something that cannot be undone: it says what will happen, in words,
// and offers a way out that is just as easy. Focus moves to it when it opens, and back to what
// opened it when it closes.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from './Button';
import { useReturnFocus } from './focus';

interface ConfirmPanelProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** A red confirm button: for destroying. */
  danger?: boolean;
}

export function ConfirmPanel({
  title,
  children,
  confirmLabel,
  cancelLabel,
  busy = false,
  onConfirm,
  onCancel,
  danger = false,
}: ConfirmPanelProps) {
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useReturnFocus();
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <div className="confirm" role="group" aria-labelledby={titleId}>
      <h3 id={titleId} ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      <div className="confirm-body">{children}</div>
      <div className="actions">
        <Button
          className={danger ? 'button button-danger' : 'button button-primary'}
          busy={busy}
          onClick={onConfirm}
        >
          {confirmLabel}
        </Button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
