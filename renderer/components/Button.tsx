// A button that stays focusable while it cannot act: a request is running, or it waits for
// something. `disabled` would drop focus to the page body and hide the button from a screen
// reader's tab order; aria-disabled keeps both, and the guard here ignores the press.
import type { ButtonHTMLAttributes, MouseEvent } from 'react';

interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'disabled'> {
  /** A request this button started is running: announced as busy. */
  busy?: boolean;
  /** It cannot act now, for another reason (nothing older to show, a wait). */
  unavailable?: boolean;
}

export function Button({
  busy = false,
  unavailable = false,
  onClick,
  type = 'button',
  ...rest
}: ButtonProps) {
  const off = busy || unavailable;
  return (
    <button
      type={type}
      {...rest}
      aria-disabled={off || undefined}
      aria-busy={busy || undefined}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        // Also stops a form's submission from Enter in one of its fields.
        if (off) event.preventDefault();
        else onClick?.(event);
      }}
    />
  );
}
