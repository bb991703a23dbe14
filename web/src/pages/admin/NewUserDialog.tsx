/**
 * "New user": name, username and a first password (generated, editable). After creation the
 * password is shown once with a copy button, to hand to the user.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { createUser, generatePassword, type AdminUserDetail } from '../../api/admin/users.ts';
import { messageOf } from '../../api/http.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { Modal } from '../../components/Modal.tsx';

/** The dialog; `onCreated` runs once the user exists. */
export function NewUserDialog({
  onClose,
  onCreated,
}: {
  readonly onClose: () => void;
  readonly onCreated: (created: AdminUserDetail) => void;
}) {
  const ids = { name: useId(), upn: useId(), job: useId(), password: useId() };
  const [displayName, setDisplayName] = useState('');
  const [upn, setUpn] = useState('');
  const [jobTitle, setJobTitle] = useState('');
  const [password, setPassword] = useState(generatePassword);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState<AdminUserDetail | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    createUser({
      displayName: displayName.trim(),
      userPrincipalName: upn.trim().toLowerCase(),
      password,
      ...(jobTitle.trim() === '' ? {} : { jobTitle: jobTitle.trim() }),
    }).then(
      (detail) => {
        setBusy(false);
        setCreated(detail);
        onCreated(detail);
      },
      (err: unknown) => {
        setBusy(false);
        setError(messageOf(err));
      },
    );
  };

  if (created !== undefined)
    return (
      <Modal title="User created" onClose={onClose}>
        <p className="card__subtitle">
          Give {created.user.displayName} this first password. It is not shown again.
        </p>
        <dl className="facts facts--wide">
          <div className="facts__row">
            <dt>Username</dt>
            <dd>{created.user.userPrincipalName}</dd>
          </div>
          <div className="facts__row">
            <dt>Password</dt>
            <dd>
              <code className="secret" data-testid="new-user-password">
                {password}
              </code>
            </dd>
          </div>
        </dl>
        <div className="actions">
          <CopyButton value={password} label="Copy password" />
          <button type="button" className="button button--primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Modal>
    );

  return (
    <Modal title="New user" onClose={onClose}>
      <form className="form" onSubmit={onSubmit} aria-busy={busy}>
        <label htmlFor={ids.name} className="form__label">
          Display name
        </label>
        <input
          id={ids.name}
          className="form__input"
          required
          maxLength={256}
          autoComplete="off"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <label htmlFor={ids.upn} className="form__label">
          Username
        </label>
        <input
          id={ids.upn}
          className="form__input"
          type="email"
          required
          maxLength={113}
          autoComplete="off"
          placeholder="name@your-domain"
          value={upn}
          onChange={(e) => setUpn(e.target.value)}
        />
        <label htmlFor={ids.job} className="form__label">
          Job title (optional)
        </label>
        <input
          id={ids.job}
          className="form__input"
          maxLength={128}
          autoComplete="off"
          value={jobTitle}
          onChange={(e) => setJobTitle(e.target.value)}
        />
        <label htmlFor={ids.password} className="form__label">
          First password
        </label>
        <input
          id={ids.password}
          className="form__input table__mono"
          required
          minLength={12}
          maxLength={256}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p className="form__note">At least 12 characters. A random one is suggested.</p>
        <ErrorAlert message={error} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
