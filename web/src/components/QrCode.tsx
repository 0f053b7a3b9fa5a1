/**
 * A QR code drawn as SVG squares from qrcode-generator's module matrix (no canvas, no inline
 * markup, so it passes the relay's content security policy and prints sharply).
 */
import qrcode from "qrcode-generator";

export function QrCode({ text, label, size = 176 }: { text: string; label: string; size?: number }) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const quiet = 4;
  const total = count + quiet * 2;
  const cells: string[] = [];
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (qr.isDark(row, col)) cells.push(`M${col + quiet},${row + quiet}h1v1h-1z`);
  }
  return (
    <figure className="qr">
      <svg width={size} height={size} viewBox={`0 0 ${total} ${total}`} role="img" aria-label={label} shapeRendering="crispEdges">
        <rect width={total} height={total} fill="#ffffff" />
        <path d={cells.join("")} fill="#000000" />
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
