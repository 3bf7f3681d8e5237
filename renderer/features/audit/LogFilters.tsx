// Narrows the access log by day, action, outcome and subject. Choices apply at once; the subject
// applies when typing pauses, so a million entries are not scanned on every key.
import { useEffect, useId, useState } from 'react';
import { noFilters, type LogFilters as Filters, type Outcome } from './audit-store';
import { actionLabel, outcomeWords } from './audit-words';

const SUBJECT_PAUSE_MS = 350;

export function LogFilters({
  filters,
  actions,
  onChange,
  onClear,
}: {
  filters: Filters;
  actions: string[];
  onChange: (patch: Partial<Filters>) => void;
  onClear: () => void;
}) {
  const id = useId();
  const [subject, setSubject] = useState(filters.subject);
  const [applied, setApplied] = useState(filters.subject);
  // A subject chosen from the table (or cleared) shows in the field.
  if (applied !== filters.subject) {
    setApplied(filters.subject);
    setSubject(filters.subject);
  }

  useEffect(() => {
    if (subject === filters.subject) return;
    const timer = setTimeout(() => onChange({ subject }), SUBJECT_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [subject, filters.subject, onChange]);

  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);
  const choices = [...actions].sort((a, b) => actionLabel(a).localeCompare(actionLabel(b)));

  return (
    <form
      className="log-filters"
      role="search"
      aria-label="Filter the access log"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ subject });
      }}
    >
      <div className="log-filter">
        <label htmlFor={`${id}-from`}>From</label>
        <input
          id={`${id}-from`}
          type="date"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(event) => onChange({ from: event.target.value })}
        />
      </div>
      <div className="log-filter">
        <label htmlFor={`${id}-to`}>To</label>
        <input
          id={`${id}-to`}
          type="date"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(event) => onChange({ to: event.target.value })}
        />
      </div>
      <div className="log-filter">
        <label htmlFor={`${id}-action`}>Action</label>
        <select
          id={`${id}-action`}
          value={filters.action}
          onChange={(event) => onChange({ action: event.target.value })}
        >
          <option value="">Any action</option>
          {choices.map((action) => (
            <option key={action} value={action}>
              {actionLabel(action)}
            </option>
          ))}
        </select>
      </div>
      <div className="log-filter">
        <label htmlFor={`${id}-outcome`}>Outcome</label>
        <select
          id={`${id}-outcome`}
          value={filters.outcome}
          onChange={(event) => onChange({ outcome: event.target.value as Outcome | '' })}
        >
          <option value="">Any outcome</option>
          {(Object.keys(outcomeWords) as Outcome[]).map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcomeWords[outcome]}
            </option>
          ))}
        </select>
      </div>
      <div className="log-filter log-filter-subject">
        <label htmlFor={`${id}-subject`}>Subject id</label>
        <input
          id={`${id}-subject`}
          type="search"
          spellCheck={false}
          autoComplete="off"
          value={subject}
          onChange={(event) => setSubject(event.target.value)}
        />
      </div>
      {filtered ? (
        <div className="log-filter-clear">
          <button type="button" className="link-button" onClick={onClear}>
            Clear filters
          </button>
        </div>
      ) : null}
    </form>
  );
}
