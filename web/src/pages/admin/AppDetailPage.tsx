/**
 * One app registration: client id, redirect URIs, credentials and admin consent. Parley's own
 * registrations (first party) are shown but not editable.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { GRAPH_RESOURCE, getApp, grantConsent, updateApp, type AdminApp } from '../../api/admin/apps.ts';
import { useResource } from '../../api/use-resource.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorAlert, Notice } from '../../components/Feedback.tsx';
import { Link } from '../../router.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';
import { AppCertificates, AppSecrets } from './AppCredentials.tsx';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

function RedirectUris({ app, onSaved }: { readonly app: AdminApp; readonly onSaved: () => void }) {
  const id = useId();
  const [text, setText] = useState(app.redirectUris.join('\n'));
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    updateApp(app.appId, { redirectUris: lines(text) }).then(
      () => {
        setNotice('Redirect URIs saved.');
        onSaved();
      },
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <h3 className="status__subtitle">Redirect URIs</h3>
      <label htmlFor={id} className="form__note">
        Where sign-in may return, compared exactly. One per line; https except for localhost.
      </label>
      <textarea
        id={id}
        className="form__input table__mono"
        rows={3}
        value={text}
        disabled={app.isFirstParty}
        onChange={(e) => setText(e.target.value)}
      />
      <ErrorAlert message={error} />
      <Notice message={notice} />
      {!app.isFirstParty && (
        <div className="actions">
          <button type="submit" className="button button--ghost">
            Save redirect URIs
          </button>
        </div>
      )}
    </form>
  );
}

function AdminConsent({ app }: { readonly app: AdminApp }) {
  const ids = { resource: useId(), scopes: useId(), roles: useId() };
  const [resource, setResource] = useState(GRAPH_RESOURCE);
  const [scopes, setScopes] = useState('User.Read');
  const [roles, setRoles] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const words = (text: string) => text.split(/[\s,]+/).filter((w) => w !== '');
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    grantConsent(app.appId, { resource: resource.trim(), scopes: words(scopes), roles: words(roles) }).then(
      (consent) =>
        setNotice(
          `Consent granted for the organisation: ${[...consent.scopes, ...consent.roles].join(', ') || 'nothing'}.`,
        ),
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <h3 className="status__subtitle">Admin consent</h3>
      <p className="form__note">
        Grants the app these permissions for everyone in the organisation. Application permissions (roles) let
        it act without a user.
      </p>
      <label htmlFor={ids.resource} className="form__label">
        Resource
      </label>
      <input
        id={ids.resource}
        className="form__input table__mono"
        value={resource}
        onChange={(e) => setResource(e.target.value)}
      />
      <label htmlFor={ids.scopes} className="form__label">
        Delegated permissions
      </label>
      <input
        id={ids.scopes}
        className="form__input table__mono"
        value={scopes}
        onChange={(e) => setScopes(e.target.value)}
      />
      <label htmlFor={ids.roles} className="form__label">
        Application permissions
      </label>
      <input
        id={ids.roles}
        className="form__input table__mono"
        placeholder="User.Read.All"
        value={roles}
        onChange={(e) => setRoles(e.target.value)}
      />
      <ErrorAlert message={error} />
      <Notice message={notice} />
      <div className="actions">
        <button type="submit" className="button button--primary">
          Grant admin consent
        </button>
      </div>
    </form>
  );
}

/** The page at `/admin/apps/{appId}`. */
export function AppDetailPage({ appId }: { readonly appId: string }) {
  const app = useResource((signal) => getApp(appId, signal), `app:${appId}`);
  const titleId = useId();
  const a = app.data;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/apps">App registrations</Link>
      </p>
      <AdminLoadError failure={app.failure} />
      {a !== undefined && (
        <section className="card" aria-labelledby={titleId}>
          <h2 id={titleId} className="card__title">
            {a.displayName}
          </h2>
          {a.isFirstParty && (
            <p className="card__subtitle">Parley&rsquo;s own registration: it cannot be changed.</p>
          )}
          <dl className="facts facts--wide">
            <div className="facts__row">
              <dt>Client id</dt>
              <dd className="secret-row">
                <code className="table__mono" data-testid="app-client-id">
                  {a.appId}
                </code>
                <CopyButton value={a.appId} label="Copy" />
              </dd>
            </div>
            <div className="facts__row">
              <dt>Type</dt>
              <dd>{a.isPublicClient ? 'Public client (PKCE)' : 'Confidential client'}</dd>
            </div>
            <div className="facts__row">
              <dt>Sign-in</dt>
              <dd>{a.signInAudience === 'AzureADMultipleOrgs' ? 'Any organisation' : 'This organisation'}</dd>
            </div>
          </dl>
          <RedirectUris key={a.redirectUris.join('\n')} app={a} onSaved={app.reload} />
          {!a.isFirstParty && !a.isPublicClient && (
            <>
              <AppSecrets appId={a.appId} />
              <AppCertificates appId={a.appId} />
            </>
          )}
          {!a.isFirstParty && <AdminConsent app={a} />}
        </section>
      )}
    </>
  );
}
