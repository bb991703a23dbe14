/** Sign-in: the organisation's MFA requirement and allowed networks, and its domains. */
import { useId, useState, type SubmitEvent } from 'react';
import {
  addDomain,
  getSignInPolicy,
  listDomains,
  putSignInPolicy,
  verifyDomain,
  type SignInPolicy,
} from '../../api/admin/tenant.ts';
import { useResource } from '../../api/use-resource.ts';
import { ErrorAlert, Notice } from '../../components/Feedback.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';

function PolicyForm({ policy, onSaved }: { readonly policy: SignInPolicy; readonly onSaved: () => void }) {
  const networksId = useId();
  const noteId = useId();
  const [requireMfa, setRequireMfa] = useState(policy.requireMfa);
  const [networks, setNetworks] = useState(policy.allowedNetworks.join('\n'));
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    const allowedNetworks = networks
      .split('\n')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    putSignInPolicy({ requireMfa, allowedNetworks }).then(
      () => {
        setNotice('The sign-in policy was saved.');
        onSaved();
      },
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };

  return (
    <form className="form" onSubmit={onSubmit}>
      <label className="check">
        <input type="checkbox" checked={requireMfa} onChange={(e) => setRequireMfa(e.target.checked)} />
        Require a second factor (authenticator app) for everyone
      </label>
      <label htmlFor={networksId} className="form__label">
        Allowed networks
      </label>
      <textarea
        id={networksId}
        className="form__input table__mono"
        rows={4}
        aria-describedby={noteId}
        placeholder="203.0.113.0/24"
        value={networks}
        onChange={(e) => setNetworks(e.target.value)}
      />
      <p id={noteId} className="form__note">
        One IPv4 or IPv6 range per line. Leave empty to allow sign-in from anywhere.
      </p>
      <ErrorAlert message={error} />
      <Notice message={notice} />
      <div className="actions">
        <button type="submit" className="button button--primary">
          Save sign-in policy
        </button>
      </div>
    </form>
  );
}

/** The sign-in section. */
export function SignInSection() {
  const policy = useResource(getSignInPolicy, 'sign-in-policy');
  const domains = useResource(listDomains, 'domains');
  const domainId = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  const run = (work: Promise<unknown>) => {
    setError(undefined);
    work.then(
      () => domains.reload(),
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };

  return (
    <>
      <section className="card" aria-labelledby="signin-policy-title">
        <h2 id="signin-policy-title" className="card__title">
          Sign-in policy
        </h2>
        <AdminLoadError failure={policy.failure} />
        {policy.data !== undefined && (
          <PolicyForm key={JSON.stringify(policy.data)} policy={policy.data} onSaved={policy.reload} />
        )}
      </section>
      <section className="card" aria-labelledby="domains-title">
        <h2 id="domains-title" className="card__title">
          Domains
        </h2>
        <p className="card__subtitle">
          Usernames use a verified domain. Publish the TXT record, then mark the domain verified.
        </p>
        <AdminLoadError failure={domains.failure} />
        <ErrorAlert message={error} />
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Status</th>
                <th scope="col">TXT record</th>
              </tr>
            </thead>
            <tbody>
              {(domains.data ?? []).map((d) => (
                <tr key={d.name}>
                  <td className="table__mono">
                    {d.name} {d.isDefault && <span className="tag">Default</span>}
                  </td>
                  <td>
                    {d.isVerified ? (
                      <span className="badge badge--ok">Verified</span>
                    ) : (
                      <button
                        type="button"
                        className="button button--ghost"
                        onClick={() => run(verifyDomain(d.name))}
                      >
                        Mark verified
                      </button>
                    )}
                  </td>
                  <td className="table__mono table__wrap">{d.isVerified ? '' : d.verificationCode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            run(addDomain(name.trim().toLowerCase()).then(() => setName('')));
          }}
        >
          <label htmlFor={domainId} className="form__label">
            Add a domain
          </label>
          <input
            id={domainId}
            className="form__input"
            required
            maxLength={253}
            placeholder="example.org"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button button--ghost">
            Add
          </button>
        </form>
      </section>
    </>
  );
}
