// A drawn signature, rendered from its path data only: the schema lets through nothing but path
// commands and numbers, so it can never carry markup.
import type { Signature } from '../../../shared/consent-terms';

export const SIGNATURE_WIDTH = 480;
export const SIGNATURE_HEIGHT = 140;

export function SignatureImage({ signature }: { signature: Signature }) {
  if (signature.drawnSignature.kind !== 'svg-path') {
    return <p className="signature-typed">Signed by typing their name: {signature.typedName}</p>;
  }
  return (
    <svg
      className="signature-image"
      viewBox={`0 0 ${SIGNATURE_WIDTH} ${SIGNATURE_HEIGHT}`}
      role="img"
      aria-label={`Drawn signature of ${signature.typedName}`}
    >
      <path d={signature.drawnSignature.d} />
    </svg>
  );
}
