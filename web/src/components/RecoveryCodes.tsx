/**
 * New recovery codes, shown once: the server keeps only their hashes. The user copies or writes
 * them down and confirms before moving on.
 */
import { useId } from 'react';
import { CopyButton } from './CopyButton.tsx';

/** The list of codes with a copy button and the confirmation button. */
export function RecoveryCodes({
  codes,
  onSaved,
  savedLabel = 'I saved them',
}: {
  readonly codes: readonly string[];
  readonly onSaved: () => void;
  readonly savedLabel?: string;
}) {
  const titleId = useId();
  return (
    <section className="recovery" aria-labelledby={titleId}>
      <h3 id={titleId} className="recovery__title">
        Your recovery codes
      </h3>
      <p className="muted">
        Each code signs you in once if you lose your phone. Keep them somewhere safe: they will not be shown
        again.
      </p>
      <ul className="recovery__codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <CopyButton value={codes.join('\n')} label="Copy codes" />
        <button type="button" className="button button--primary" onClick={onSaved}>
          {savedLabel}
        </button>
      </div>
    </section>
  );
}
