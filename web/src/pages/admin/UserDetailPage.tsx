/**
 * One user in the admin centre: profile, enable/disable, sign out everywhere, password reset,
 * admin roles and licences. Every change goes to the server, which re-checks the admin's rights.
 */
import { useId, useState } from 'react';
import { listLicences } from '../../api/admin/licences.ts';
import {
  ADMIN_ROLES,
  ROLE_LABELS,
  getUser,
  setLicence,
  setRole,
  userAction,
  type AdminUserDetail,
} from '../../api/admin/users.ts';
import { useResource } from '../../api/use-resource.ts';
import { ErrorAlert, Notice } from '../../components/Feedback.tsx';
import { Link } from '../../router.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';
import { ProfileForm } from './ProfileForm.tsx';
import { ResetPasswordDialog } from './ResetPasswordDialog.tsx';

/** The user page at `/admin/users/{id}`. */
export function UserDetailPage({ userId }: { readonly userId: string }) {
  const detail = useResource((signal) => getUser(userId, signal), `user:${userId}`);
  const skus = useResource(listLicences, 'licences');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [resetting, setResetting] = useState(false);
  const titleId = useId();
  const rolesId = useId();
  const licencesId = useId();

  const run = (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    work().then(
      () => {
        setBusy(false);
        setNotice(done);
        detail.reload();
        skus.reload();
      },
      (err: unknown) => {
        setBusy(false);
        setError(adminErrorMessage(err));
      },
    );
  };

  const d: AdminUserDetail | undefined = detail.data;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/users">Users</Link>
      </p>
      <AdminLoadError failure={detail.failure} />
      {d !== undefined && (
        <section className="card" aria-labelledby={titleId} aria-busy={busy || detail.loading}>
          <div className="card__head">
            <div>
              <h2 id={titleId} className="card__title">
                {d.user.displayName}
              </h2>
              <p className="card__subtitle table__mono">{d.user.userPrincipalName}</p>
            </div>
            <span className={d.user.accountEnabled ? 'badge badge--ok' : 'badge badge--disabled'}>
              {d.user.accountEnabled ? 'Enabled' : 'Disabled'}
            </span>
          </div>
          <Notice message={notice} />
          <ErrorAlert message={error} />
          <div className="actions">
            {d.user.accountEnabled ? (
              <button
                type="button"
                className="button button--danger-ghost"
                disabled={busy}
                onClick={() =>
                  run(() => userAction(userId, 'disable'), 'The account is disabled and signed out.')
                }
              >
                Disable sign-in
              </button>
            ) : (
              <button
                type="button"
                className="button button--ghost"
                disabled={busy}
                onClick={() => run(() => userAction(userId, 'enable'), 'The account can sign in again.')}
              >
                Enable sign-in
              </button>
            )}
            <button
              type="button"
              className="button button--ghost"
              disabled={busy}
              onClick={() =>
                run(() => userAction(userId, 'revoke-sessions'), 'The user is signed out everywhere.')
              }
            >
              Sign out everywhere
            </button>
            <button
              type="button"
              className="button button--ghost"
              disabled={busy}
              onClick={() => setResetting(true)}
            >
              Reset password
            </button>
          </div>

          <ProfileForm detail={d} onSaved={() => run(() => Promise.resolve(), 'The profile was saved.')} />

          <fieldset className="fieldset" aria-describedby={rolesId}>
            <legend className="status__subtitle">Admin roles</legend>
            <p id={rolesId} className="form__note">
              Administrators manage the directory. Keep at least one global administrator.
            </p>
            {ADMIN_ROLES.map((role) => (
              <label key={role} className="check">
                <input
                  type="checkbox"
                  checked={d.roles.includes(role)}
                  disabled={busy}
                  onChange={(e) => {
                    const on = e.target.checked;
                    run(
                      () => setRole(userId, role, on),
                      on ? `${ROLE_LABELS[role]} assigned.` : `${ROLE_LABELS[role]} removed.`,
                    );
                  }}
                />
                {ROLE_LABELS[role]}
              </label>
            ))}
          </fieldset>

          <fieldset className="fieldset" aria-describedby={licencesId}>
            <legend className="status__subtitle">Licences</legend>
            <p id={licencesId} className="form__note">
              A licence takes one of the organisation&rsquo;s seats.
            </p>
            <AdminLoadError failure={skus.failure} />
            {(skus.data ?? []).map((sku) => (
              <label key={sku.skuId} className="check">
                <input
                  type="checkbox"
                  checked={d.licences.includes(sku.skuId)}
                  disabled={busy}
                  onChange={(e) => {
                    const on = e.target.checked;
                    run(
                      () => setLicence(userId, sku.skuId, on),
                      on ? `${sku.displayName} assigned.` : `${sku.displayName} removed.`,
                    );
                  }}
                />
                {sku.displayName}{' '}
                <span className="muted">
                  ({sku.assigned} of {sku.seats} seats used)
                </span>
              </label>
            ))}
          </fieldset>
        </section>
      )}
      {resetting && d !== undefined && (
        <ResetPasswordDialog userId={userId} name={d.user.displayName} onClose={() => setResetting(false)} />
      )}
    </>
  );
}
