// Where a refused request is explained. The element stays mounted so a screen reader hears
// every new sentence as an alert.
export function FormMessage({ message }: { message: string | null }) {
  return (
    <p role="alert" className={message ? 'form-message' : 'form-message is-empty'}>
      {message}
    </p>
  );
}
