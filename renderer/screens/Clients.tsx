// Clients: nothing to list yet, and it says so plainly.
import { uiText } from '../../shared/ui-text';
import { useFocusOnMount } from '../components/focus';

export function Clients() {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title" ref={headingRef} tabIndex={-1}>
        Clients
      </h1>
      <div className="empty-state">
        <p>{uiText.clientsEmpty}</p>
      </div>
    </section>
  );
}
