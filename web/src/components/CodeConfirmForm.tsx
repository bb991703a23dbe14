/**
 * Asks for a current authenticator code (or a recovery code) before a sensitive change, such as
 * removing the authenticator or replacing recovery codes.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { messageOf } from '../api/http.ts';
import { normaliseRecoveryCode, normaliseTotp } from '../pages/signin/codes.ts';
import { ErrorAlert } from './Feedback.tsx';

/** A code field with the action's button and Cancel. */
export function CodeConfirmForm({
  label,
  actionLabel,
  danger = false,
  allowRecoveryCode = false,
  onConfirm,
  onCancel,
}: {
  readonly label: string;
  readonly actionLabel: string;
  readonly danger?: boolean;
  readonly allowRecoveryCode?: boolean;
  readonly onConfirm: (code: string) => Promise<void>;
  readonly onCancel: () => void;
}) {
  const codeId = useId();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const normalised = normaliseTotp(code) ?? (allowRecoveryCode ? normaliseRecoveryCode(code) : undefined);
    if (normalised === undefined) {
      setError(
        allowRecoveryCode
          ? 'Enter the six-digit code from your authenticator app, or a recovery code.'
          : 'Enter the six-digit code from your authenticator app.',
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    onConfirm(normalised).then(
      () => setBusy(false),
      (err: unknown) => {
        setBusy(false);
        setCode('');
        setError(messageOf(err));
      },
    );
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy}>
      <label htmlFor={codeId} className="form__label">
        {label}
      </label>
      <input
        id={codeId}
        className="form__input form__input--code"
        type="text"
        autoComplete="one-time-code"
        inputMode={allowRecoveryCode ? 'text' : 'numeric'}
        autoCapitalize="none"
        spellCheck={false}
        maxLength={14}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoFocus
      />
      <ErrorAlert message={error} />
      <div className="actions">
        <button
          type="submit"
          className={danger ? 'button button--danger' : 'button button--primary'}
          disabled={busy}
        >
          {actionLabel}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
