// A second step before something that cannot be undone: it says what will happen, in words,
// and offers a way out that is just as easy. Focus moves to it when it opens.
import { useEffect, useId, useRef, type ReactNode } from 'react';

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
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary'}
          disabled={busy}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
