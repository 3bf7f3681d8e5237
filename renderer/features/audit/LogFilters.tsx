// Narrows the access log by day, action, outcome and subject. Choices apply at once; the subject
// applies when typing pauses, so a million entries are not scanned on every key. Days are typed
// as people here write them (30/11/2026), not in a date picker whose order follows the browser's
// language.
import { useEffect, useId, useRef, useState, type Ref } from 'react';
import { formatDayNumeric, parseDay } from '../../../shared/format';
import { noFilters, type LogFilters as Filters, type Outcome } from './audit-store';
import { actionLabel, outcomeWords } from './audit-words';

const SUBJECT_PAUSE_MS = 350;
/** A day after the 12th, so the example shows which number is the day. */
const DAY_EXAMPLE = '30/11/2026';

/** A day typed in a text field: applied as soon as it is a whole day, cleared when emptied. */
function DayField({
  id,
  label,
  value,
  hintId,
  onDay,
  inputRef,
}: {
  id: string;
  label: string;
  /** The applied day, yyyy-mm-dd, or ''. */
  value: string;
  hintId: string;
  onDay: (day: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState(value);
  const [applied, setApplied] = useState(value);
  const [checked, setChecked] = useState(false);
  // Cleared (or set) from elsewhere: the field follows.
  if (applied !== value) {
    setApplied(value);
    if (parseDay(text) !== value)
      setText(value === '' ? '' : formatDayNumeric(new Date(`${value}T12:00:00`).getTime()));
  }
  const problem = checked && text.trim() !== '' && parseDay(text) === null;
  const errorId = `${id}-error`;
  return (
    <div className="log-filter">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        placeholder="dd/mm/yyyy"
        value={text}
        aria-invalid={problem || undefined}
        aria-describedby={problem ? `${errorId} ${hintId}` : hintId}
        onChange={(event) => {
          const typed = event.target.value;
          setText(typed);
          const day = parseDay(typed);
          if (typed.trim() === '') {
            setChecked(false);
            if (value !== '') onDay('');
          } else if (day !== null && day !== value) onDay(day);
        }}
        onBlur={() => setChecked(true)}
      />
      {problem ? (
        <p id={errorId} className="field-error">
          Not a day. Type it as {DAY_EXAMPLE}.
        </p>
      ) : null}
    </div>
  );
}

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
  const fromRef = useRef<HTMLInputElement>(null);
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
      <DayField
        id={`${id}-from`}
        label="From"
        value={filters.from}
        hintId={`${id}-day-hint`}
        inputRef={fromRef}
        onDay={(from) => onChange({ from })}
      />
      <DayField
        id={`${id}-to`}
        label="To"
        value={filters.to}
        hintId={`${id}-day-hint`}
        onDay={(to) => onChange({ to })}
      />
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
      <p id={`${id}-day-hint`} className="log-filter-hint muted">
        Days as day/month/year, for example {DAY_EXAMPLE}. Both days are included.
      </p>
      {filtered ? (
        <div className="log-filter-clear">
          <button
            type="button"
            className="link-button"
            onClick={() => {
              onClear();
              // The button goes with the filters; the first filter is where to start again.
              fromRef.current?.focus();
            }}
          >
            Clear filters
          </button>
        </div>
      ) : null}
    </form>
  );
}
