// A padlock drawn inline, so a locked vault looks locked without loading anything.
export function LockIcon({ open = false, size = 56 }: { open?: boolean; size?: number }) {
  return (
    <svg
      className="lock-icon"
      width={size}
      height={size}
      viewBox="0 0 48 48"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="24" cy="24" r="23" className="lock-icon-halo" />
      <path
        className="lock-icon-shackle"
        d={open ? 'M17 21v-5a7 7 0 0 1 13.6-2.3' : 'M17 21v-5a7 7 0 0 1 14 0v5'}
        fill="none"
        strokeWidth="3"
        strokeLinecap="round"
      />
      <rect className="lock-icon-body" x="13" y="21" width="22" height="16" rx="3.5" />
      <circle className="lock-icon-keyhole" cx="24" cy="28" r="2.2" />
      <path className="lock-icon-keyhole" d="M23 29.5h2l.6 3.5h-3.2z" />
    </svg>
  );
}
