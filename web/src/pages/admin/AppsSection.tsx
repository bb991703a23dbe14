/** App registrations: the organisation's apps and "New registration". */
import { useId, useState, type SubmitEvent } from 'react';
import { createApp, listApps, type AdminApp, type SignInAudience } from '../../api/admin/apps.ts';
import { useResource } from '../../api/use-resource.ts';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { Modal } from '../../components/Modal.tsx';
import { Link, navigate } from '../../router.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';

function NewAppDialog({ onClose }: { readonly onClose: () => void }) {
  const ids = { name: useId(), audience: useId(), redirect: useId() };
  const [displayName, setDisplayName] = useState('');
  const [audience, setAudience] = useState<SignInAudience>('AzureADMyOrg');
  const [kind, setKind] = useState<'confidential' | 'public'>('confidential');
  const [redirect, setRedirect] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    createApp({
      displayName: displayName.trim(),
      signInAudience: audience,
      isPublicClient: kind === 'public',
      redirectUris: redirect.trim() === '' ? [] : [redirect.trim()],
    }).then(
      (app: AdminApp) => navigate(`/admin/apps/${app.appId}`),
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };

  return (
    <Modal title="New app registration" onClose={onClose}>
      <form className="form" onSubmit={onSubmit}>
        <label htmlFor={ids.name} className="form__label">
          Name
        </label>
        <input
          id={ids.name}
          className="form__input"
          required
          maxLength={256}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <label htmlFor={ids.audience} className="form__label">
          Who can sign in
        </label>
        <select
          id={ids.audience}
          className="form__input"
          value={audience}
          onChange={(e) =>
            setAudience(e.target.value === 'AzureADMultipleOrgs' ? 'AzureADMultipleOrgs' : 'AzureADMyOrg')
          }
        >
          <option value="AzureADMyOrg">This organisation only</option>
          <option value="AzureADMultipleOrgs">Any organisation on this server</option>
        </select>
        <fieldset className="fieldset">
          <legend className="form__label">Client type</legend>
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={kind === 'confidential'}
              onChange={() => setKind('confidential')}
            />
            Confidential: a server or daemon that keeps a secret or certificate
          </label>
          <label className="check">
            <input type="radio" name="kind" checked={kind === 'public'} onChange={() => setKind('public')} />
            Public: a desktop, mobile or browser app (PKCE, no secret)
          </label>
        </fieldset>
        <label htmlFor={ids.redirect} className="form__label">
          Redirect URI (optional)
        </label>
        <input
          id={ids.redirect}
          className="form__input table__mono"
          type="url"
          placeholder="https://app.example.org/auth/callback"
          value={redirect}
          onChange={(e) => setRedirect(e.target.value)}
        />
        <ErrorAlert message={error} />
        <div className="actions">
          <button type="submit" className="button button--primary">
            Register
          </button>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The list of registrations. */
export function AppsSection() {
  const apps = useResource(listApps, 'apps');
  const [creating, setCreating] = useState(false);
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId} aria-busy={apps.loading}>
      <div className="card__head">
        <h2 id={titleId} className="card__title">
          App registrations
        </h2>
        <button
          type="button"
          className="button button--primary button--inline"
          onClick={() => setCreating(true)}
        >
          New registration
        </button>
      </div>
      <AdminLoadError failure={apps.failure} />
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {(apps.data ?? []).map((app) => (
              <tr key={app.appId}>
                <td>
                  <Link to={`/admin/apps/${app.appId}`}>{app.displayName}</Link>{' '}
                  {app.isFirstParty && <span className="tag">Parley</span>}
                </td>
                <td className="table__mono">{app.appId}</td>
                <td>{app.isPublicClient ? 'Public' : 'Confidential'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {creating && <NewAppDialog onClose={() => setCreating(false)} />}
    </section>
  );
}
