// One page of the access log: time, who, action, subject, outcome and reason, newest first. Fits
// a laptop window by wrapping; narrower, it scrolls sideways inside its own region, and says so.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntryView } from '../../../shared/api';
import { formatDate, formatTime } from '../../../shared/format';
import type { ActorNames } from './audit-store';
import {
  actionLabel,
  describeActor,
  describeSubject,
  outcomeWords,
  reasonLabel,
} from './audit-words';

function Who({ entry, names }: { entry: AuditEntryView; names: ActorNames }) {
  const actor = describeActor(entry, names);
  return (
    <>
      {actor.role}
      {actor.name ? <span className="log-name"> {actor.name}</span> : null}
      {actor.id ? <span className="log-id"> {actor.name ? `(${actor.id})` : actor.id}</span> : null}
    </>
  );
}

function Subject({
  entry,
  names,
  onSubject,
}: {
  entry: AuditEntryView;
  names: ActorNames;
  onSubject: (subject: string) => void;
}) {
  const subject = describeSubject(entry, names);
  if (!subject) return <>—</>;
  return (
    <button
      type="button"
      className="link-button log-subject"
      title={subject.id}
      onClick={() => onSubject(subject.id)}
    >
      {subject.text}
      <span className="visually-hidden"> (show only entries about it)</span>
    </button>
  );
}

/** Whether the region hides columns to its left or right, kept up to date as it scrolls. */
function useHiddenSides() {
  const [sides, setSides] = useState({ left: false, right: false });
  const observer = useRef<ResizeObserver | null>(null);
  const region = useRef<HTMLDivElement | null>(null);
  const measure = useCallback(() => {
    const element = region.current;
    if (!element) return;
    // A pixel of rounding is not a hidden column.
    const left = element.scrollLeft > 1;
    const right = element.scrollLeft + element.clientWidth < element.scrollWidth - 1;
    setSides((was) => (was.left === left && was.right === right ? was : { left, right }));
  }, []);
  const ref = useCallback(
    (element: HTMLDivElement | null) => {
      observer.current?.disconnect();
      region.current = element;
      if (!element) return;
      observer.current = new ResizeObserver(measure);
      observer.current.observe(element);
      if (element.firstElementChild) observer.current.observe(element.firstElementChild);
      measure();
    },
    [measure],
  );
  useEffect(() => () => observer.current?.disconnect(), []);
  return { sides, ref, measure };
}

export function LogTable({
  entries,
  names,
  caption,
  onSubject,
}: {
  entries: AuditEntryView[];
  names: ActorNames;
  caption: string;
  onSubject: (subject: string) => void;
}) {
  const { sides, ref, measure } = useHiddenSides();
  const scrolls = sides.left || sides.right;
  return (
    <div className="log-table-frame">
      {scrolls ? (
        <p className="log-scroll-hint" id="log-scroll-hint" data-testid="log-scroll-hint">
          <span aria-hidden="true">↔ </span>
          The table is wider than the window: scroll it sideways to see every column.
        </p>
      ) : null}
      <div
        className="log-table-edges"
        data-hidden-left={sides.left || undefined}
        data-hidden-right={sides.right || undefined}
      >
        {/* Focusable so a keyboard can scroll the table in a narrow window. */}
        <div
          ref={ref}
          onScroll={measure}
          className="table-wrap"
          tabIndex={0}
          role="region"
          aria-labelledby="log-caption"
          aria-describedby={scrolls ? 'log-scroll-hint' : undefined}
        >
          <table className="log-table">
            <caption id="log-caption" className="visually-hidden">
              {caption}
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq} data-seq={entry.seq} data-outcome={entry.outcome}>
                  <td>
                    {/* The day and the time each stay whole; a narrow column breaks between them. */}
                    <span className="nowrap">{formatDate(entry.at)},</span>{' '}
                    <span className="nowrap">{formatTime(entry.at, { seconds: true })}</span>
                  </td>
                  <td>
                    <Who entry={entry} names={names} />
                  </td>
                  <td>{actionLabel(entry.action)}</td>
                  <td>
                    <Subject entry={entry} names={names} onSubject={onSubject} />
                  </td>
                  <td>
                    <span className={`outcome outcome-${entry.outcome}`}>
                      {outcomeWords[entry.outcome]}
                    </span>
                  </td>
                  <td>{reasonLabel(entry.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
