/**
 * Credentials of a confidential app: client secrets (the value is shown once, right after it is
 * made, with a copy button) and certificates (pasted as PEM; only the public certificate).
 */
import { useId, useState, type SubmitEvent } from 'react';
import {
  addCertificate,
  addSecret,
  listCertificates,
  listSecrets,
  removeCertificate,
  removeSecret,
} from '../../api/admin/apps.ts';
import { useResource } from '../../api/use-resource.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';

const date = (iso: string) =>
  iso === '' ? '' : new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** Secrets with "New secret". */
export function AppSecrets({ appId }: { readonly appId: string }) {
  const secrets = useResource((signal) => listSecrets(appId, signal), `secrets:${appId}`);
  const ids = { name: useId(), days: useId() };
  const [name, setName] = useState('');
  const [days, setDays] = useState('180');
  const [fresh, setFresh] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    addSecret(appId, name.trim(), Number(days)).then(
      (created) => {
        setFresh(created.secret);
        setName('');
        secrets.reload();
      },
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };

  return (
    <section className="subsection" aria-label="Client secrets">
      <h3 className="status__subtitle">Client secrets</h3>
      <AdminLoadError failure={secrets.failure} />
      {fresh !== undefined && (
        <div className="notice" role="status">
          <p>Copy the secret now: it is not shown again.</p>
          <div className="secret-row">
            <code className="secret" data-testid="new-secret">
              {fresh}
            </code>
            <CopyButton value={fresh} label="Copy secret" />
          </div>
        </div>
      )}
      <ul className="list">
        {(secrets.data ?? []).map((s) => (
          <li key={s.id} className="list__row">
            <span>
              {s.displayName} <span className="muted table__mono">{s.hint}…</span>{' '}
              <span className="muted">expires {date(s.expiresAt)}</span>
            </span>
            <button
              type="button"
              className="button button--danger-ghost button--small"
              onClick={() =>
                void removeSecret(appId, s.id).then(secrets.reload, (err: unknown) =>
                  setError(adminErrorMessage(err)),
                )
              }
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={onSubmit}>
        <label htmlFor={ids.name} className="form__label">
          Description
        </label>
        <input
          id={ids.name}
          className="form__input"
          required
          maxLength={128}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor={ids.days} className="form__label">
          Expires after
        </label>
        <select
          id={ids.days}
          className="form__input form__input--narrow"
          value={days}
          onChange={(e) => setDays(e.target.value)}
        >
          <option value="90">90 days</option>
          <option value="180">180 days</option>
          <option value="365">1 year</option>
          <option value="730">2 years</option>
        </select>
        <button type="submit" className="button button--ghost">
          New secret
        </button>
      </form>
      <ErrorAlert message={error} />
    </section>
  );
}

/** Certificates with "Add certificate" (PEM pasted). */
export function AppCertificates({ appId }: { readonly appId: string }) {
  const certificates = useResource((signal) => listCertificates(appId, signal), `certificates:${appId}`);
  const ids = { pem: useId(), name: useId() };
  const [pem, setPem] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      setError('Paste the certificate in PEM form (-----BEGIN CERTIFICATE-----). Never paste a private key.');
      return;
    }
    addCertificate(appId, pem.trim(), name.trim()).then(
      () => {
        setPem('');
        setName('');
        certificates.reload();
      },
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };

  return (
    <section className="subsection" aria-label="Certificates">
      <h3 className="status__subtitle">Certificates</h3>
      <AdminLoadError failure={certificates.failure} />
      <ul className="list">
        {(certificates.data ?? []).map((c) => (
          <li key={c.id} className="list__row">
            <span>
              {c.displayName} <span className="muted table__mono">{c.thumbprintSha256.slice(0, 16)}…</span>{' '}
              <span className="muted">expires {date(c.expiresAt)}</span>
            </span>
            <button
              type="button"
              className="button button--danger-ghost button--small"
              onClick={() =>
                void removeCertificate(appId, c.id).then(certificates.reload, (err: unknown) =>
                  setError(adminErrorMessage(err)),
                )
              }
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form className="form" onSubmit={onSubmit}>
        <label htmlFor={ids.pem} className="form__label">
          Certificate (PEM)
        </label>
        <textarea
          id={ids.pem}
          className="form__input table__mono"
          rows={5}
          spellCheck={false}
          placeholder="-----BEGIN CERTIFICATE-----"
          value={pem}
          onChange={(e) => setPem(e.target.value)}
        />
        <label htmlFor={ids.name} className="form__label">
          Description (optional)
        </label>
        <input
          id={ids.name}
          className="form__input"
          maxLength={128}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <ErrorAlert message={error} />
        <div className="actions">
          <button type="submit" className="button button--ghost">
            Add certificate
          </button>
        </div>
      </form>
    </section>
  );
}
