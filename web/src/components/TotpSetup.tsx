/**
 * The authenticator-app setup panel: the QR code (the `otpauth://` URI drawn as SVG by the
 * server) and the same secret as text for typing in by hand. The SVG is shown through an `<img>`
 * with a `data:` URL (CSP `img-src 'self' data:`), where any script it could contain never runs;
 * it is never inserted into the page's DOM.
 */
import { useId, useMemo } from 'react';
import { CopyButton } from './CopyButton.tsx';

/** Encodes an SVG document as a `data:` URL (base64 of its UTF-8 bytes). */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Splits a base32 secret into groups of four for reading aloud or typing. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** QR code and secret of a new authenticator. */
export function TotpSetup({ secret, qrSvg }: { readonly secret: string; readonly qrSvg: string }) {
  const src = useMemo(() => svgDataUrl(qrSvg), [qrSvg]);
  const secretId = useId();
  return (
    <div className="totp-setup">
      <ol className="steps">
        <li>Open an authenticator app on your phone (for example Microsoft Authenticator or Aegis).</li>
        <li>Scan this QR code, or enter the key below by hand.</li>
        <li>Enter the six-digit code the app shows.</li>
      </ol>
      <img
        className="totp-setup__qr"
        src={src}
        width={192}
        height={192}
        alt="QR code for your authenticator app"
      />
      <p className="form__label" id={secretId}>
        Key for manual entry
      </p>
      <div className="secret-row">
        <code className="secret" aria-labelledby={secretId} data-testid="totp-secret" data-secret={secret}>
          {grouped(secret)}
        </code>
        <CopyButton value={secret} label="Copy key" />
      </div>
    </div>
  );
}
