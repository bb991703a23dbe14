/** The editable profile fields of a user: display name, job title and department. */
import { useId, useState, type SubmitEvent } from 'react';
import { updateUser, type AdminUserDetail } from '../../api/admin/users.ts';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { adminErrorMessage } from './admin-errors.tsx';

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** Saves with PATCH; `onSaved` refreshes the page's copy. */
export function ProfileForm({
  detail,
  onSaved,
}: {
  readonly detail: AdminUserDetail;
  readonly onSaved: () => void;
}) {
  const ids = { name: useId(), job: useId(), dept: useId() };
  const [displayName, setDisplayName] = useState(detail.user.displayName);
  const [jobTitle, setJobTitle] = useState(detail.user.jobTitle ?? '');
  const [department, setDepartment] = useState(detail.user.department ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    updateUser(detail.user.id, {
      displayName: displayName.trim(),
      jobTitle: orNull(jobTitle),
      department: orNull(department),
    }).then(
      () => {
        setBusy(false);
        onSaved();
      },
      (err: unknown) => {
        setBusy(false);
        setError(adminErrorMessage(err));
      },
    );
  };

  return (
    <form className="form form--grid" onSubmit={onSubmit} aria-busy={busy}>
      <h3 className="status__subtitle form--grid__full">Profile</h3>
      <div className="form__field">
        <label htmlFor={ids.name} className="form__label">
          Display name
        </label>
        <input
          id={ids.name}
          className="form__input"
          required
          maxLength={256}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
      </div>
      <div className="form__field">
        <label htmlFor={ids.job} className="form__label">
          Job title
        </label>
        <input
          id={ids.job}
          className="form__input"
          maxLength={128}
          value={jobTitle}
          onChange={(e) => setJobTitle(e.target.value)}
        />
      </div>
      <div className="form__field">
        <label htmlFor={ids.dept} className="form__label">
          Department
        </label>
        <input
          id={ids.dept}
          className="form__input"
          maxLength={64}
          value={department}
          onChange={(e) => setDepartment(e.target.value)}
        />
      </div>
      <div className="form--grid__full">
        <ErrorAlert message={error} />
        <button type="submit" className="button button--ghost" disabled={busy}>
          Save profile
        </button>
      </div>
    </form>
  );
}
