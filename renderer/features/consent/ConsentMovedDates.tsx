// Before signing new terms: each recording whose destruction date they would move, with its date
// now and its new date, so no date changes without both people seeing it.
import { formatDate, formatDateTime } from '../../../shared/format';
import type { MovedDeadline } from './moved-deadlines';

function dateOrNone(at: number | null): string {
  return at === null ? 'no date' : formatDate(at);
}

export function MovedDates({ moved }: { moved: MovedDeadline[] }) {
  if (moved.length === 0) return null;
  return (
    <section className="moved-dates" aria-labelledby="moved-dates-title" data-testid="moved-dates">
      <h2 id="moved-dates-title">These terms change when recordings are destroyed</h2>
      <p>
        {moved.length === 1
          ? 'One recording gets a new date.'
          : `${moved.length} recordings get a new date.`}{' '}
        Check them together before you sign.
      </p>
      <ul>
        {moved.map((recording) => (
          <li key={recording.recordingId}>
            {recording.kind === 'voice-note' ? 'Voice note' : 'Recording'} of{' '}
            {formatDateTime(recording.recordedAt)}: destroyed on {dateOrNone(recording.before)} now,
            on {dateOrNone(recording.after)} under the new terms.
          </li>
        ))}
      </ul>
    </section>
  );
}
