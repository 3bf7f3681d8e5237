// Draw a signature with a mouse, pen or finger. The drawing is kept as SVG path data (only
// commands and numbers), in the same coordinates the printed consent uses to show it.
import { useRef, type PointerEvent } from 'react';
import { SIGNATURE_HEIGHT, SIGNATURE_WIDTH } from './SignatureImage';

/** Past this the schema refuses the path; a real signature is a small fraction of it. */
const MAX_PATH_CHARS = 150_000;

interface SignaturePadProps {
  /** Whose signature, for the drawing area's name: "Alex Example". */
  signer: string;
  value: string;
  onChange: (pathData: string) => void;
  disabled?: boolean;
  describedBy?: string;
}

export function SignaturePad({
  signer,
  value,
  onChange,
  disabled,
  describedBy,
}: SignaturePadProps) {
  const drawing = useRef(false);
  const path = useRef(value);

  function point(event: PointerEvent<SVGSVGElement>): string {
    const box = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * SIGNATURE_WIDTH;
    const y = ((event.clientY - box.top) / box.height) * SIGNATURE_HEIGHT;
    const clamp = (n: number, max: number) => Math.min(max, Math.max(0, n)).toFixed(1);
    return `${clamp(x, SIGNATURE_WIDTH)} ${clamp(y, SIGNATURE_HEIGHT)}`;
  }

  function extend(segment: string) {
    if (path.current.length + segment.length > MAX_PATH_CHARS) return;
    path.current = path.current ? `${path.current} ${segment}` : segment;
    onChange(path.current);
  }

  function down(event: PointerEvent<SVGSVGElement>) {
    if (disabled) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = true;
    path.current = value;
    const at = point(event);
    // A dot, so a tap still leaves a mark.
    extend(`M${at} L${at}`);
  }

  function move(event: PointerEvent<SVGSVGElement>) {
    if (!drawing.current || disabled) return;
    extend(`L${point(event)}`);
  }

  function up(event: PointerEvent<SVGSVGElement>) {
    drawing.current = false;
    if (event.currentTarget.hasPointerCapture(event.pointerId)) {
      event.currentTarget.releasePointerCapture(event.pointerId);
    }
  }

  return (
    <div className="signature-pad" data-disabled={disabled ? 'yes' : 'no'}>
      <svg
        className="signature-pad-area"
        viewBox={`0 0 ${SIGNATURE_WIDTH} ${SIGNATURE_HEIGHT}`}
        role="img"
        aria-label={`Signature drawing area for ${signer}${value ? ', signed' : ', empty'}`}
        aria-describedby={describedBy}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      >
        <line
          className="signature-pad-baseline"
          x1="24"
          x2={SIGNATURE_WIDTH - 24}
          y1={SIGNATURE_HEIGHT - 34}
          y2={SIGNATURE_HEIGHT - 34}
        />
        {value ? <path className="signature-pad-ink" d={value} /> : null}
      </svg>
      <button
        type="button"
        className="link-button"
        disabled={disabled || value === ''}
        onClick={() => {
          path.current = '';
          onChange('');
        }}
      >
        Clear drawing
      </button>
    </div>
  );
}
