/** Sets a new password for a user (their sessions end) and shows it once to hand over. */
import { useId, useState, type SubmitEvent } from 'react';
import { generatePassword, setPassword } from '../../api/admin/users.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { Modal } from '../../components/Modal.tsx';
import { adminErrorMessage } from './admin-errors.tsx';

/** The reset dialog. */
export function ResetPasswordDialog({
  userId,
  name,
  onClose,
}: {
  readonly userId: string;
  readonly name: string;
  readonly onClose: () => void;
}) {
  const passwordId = useId();
  const [password, setValue] = useState(generatePassword);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState(false);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setPassword(userId, password).then(
      () => {
        setBusy(false);
        setDone(true);
      },
      (err: unknown) => {
        setBusy(false);
        setError(adminErrorMessage(err));
      },
    );
  };

  return (
    <Modal title={done ? 'Password reset' : `Reset ${name}'s password`} onClose={onClose}>
      {done ? (
        <>
          <p className="card__subtitle">
            {name} is signed out everywhere. Give them this password; it is not shown again.
          </p>
          <p>
            <code className="secret">{password}</code>
          </p>
          <div className="actions">
            <CopyButton value={password} label="Copy password" />
            <button type="button" className="button button--primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={onSubmit} aria-busy={busy}>
          <label htmlFor={passwordId} className="form__label">
            New password
          </label>
          <input
            id={passwordId}
            className="form__input table__mono"
            required
            minLength={12}
            maxLength={256}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setValue(e.target.value)}
          />
          <p className="form__note">The user&rsquo;s current sessions end when the password changes.</p>
          <ErrorAlert message={error} />
          <div className="actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              Set password
            </button>
            <button type="button" className="button button--ghost" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
