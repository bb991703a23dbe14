/**
 * Policies: each kind's default policy and named ones, with their settings as form controls
 * chosen from each value's type (switches, numbers, text, lists one per line). Fields of another
 * shape are kept as they are and shown read-only; the server checks every write.
 */
import { useId, useState, type SubmitEvent } from 'react';
import {
  POLICY_KIND_LABELS,
  POLICY_KINDS,
  isSettingValue,
  listPolicies,
  updatePolicy,
  type AdminPolicy,
  type PolicyKind,
} from '../../api/admin/policies.ts';
import { useResource } from '../../api/use-resource.ts';
import { ErrorAlert, Notice } from '../../components/Feedback.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';

/** `allowMeetingScheduling` → "Allow meeting scheduling". */
export function settingLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function SettingControl({
  name,
  value,
  onChange,
}: {
  readonly name: string;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
}) {
  const id = useId();
  const label = settingLabel(name);
  if (typeof value === 'boolean')
    return (
      <label className="check">
        <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
    );
  if (!isSettingValue(value))
    return (
      <div className="form__field">
        <span className="form__label">{label}</span>
        <code className="secret">{JSON.stringify(value)}</code>
      </div>
    );
  return (
    <div className="form__field">
      <label htmlFor={id} className="form__label">
        {label}
        {Array.isArray(value) ? ' (one per line)' : ''}
      </label>
      {typeof value === 'number' ? (
        <input
          id={id}
          className="form__input form__input--narrow"
          type="number"
          value={value}
          onChange={(e) => onChange(Number(e.target.value))}
        />
      ) : Array.isArray(value) ? (
        <textarea
          id={id}
          className="form__input"
          rows={3}
          value={value.join('\n')}
          onChange={(e) => onChange(e.target.value.split('\n'))}
        />
      ) : (
        <input
          id={id}
          className="form__input"
          value={String(value)}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </div>
  );
}

function PolicyCard({ policy, onSaved }: { readonly policy: AdminPolicy; readonly onSaved: () => void }) {
  const titleId = useId();
  const [settings, setSettings] = useState<Readonly<Record<string, unknown>>>(policy.settings);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const cleaned = Object.fromEntries(
      Object.entries(settings).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.map((s) => String(s).trim()).filter((s) => s !== '') : v,
      ]),
    );
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    updatePolicy(policy.id, cleaned).then(
      () => {
        setBusy(false);
        setNotice('Saved.');
        onSaved();
      },
      (err: unknown) => {
        setBusy(false);
        setError(adminErrorMessage(err));
      },
    );
  };

  return (
    <form className="policy" onSubmit={onSubmit} aria-labelledby={titleId} aria-busy={busy}>
      <h4 id={titleId} className="policy__title">
        {policy.name} {policy.isDefault && <span className="tag">Default</span>}
      </h4>
      <div className="form form--grid">
        {Object.entries(settings).map(([key, value]) => (
          <SettingControl
            key={key}
            name={key}
            value={value}
            onChange={(next) => setSettings((s) => ({ ...s, [key]: next }))}
          />
        ))}
      </div>
      <ErrorAlert message={error} />
      <Notice message={notice} />
      <div className="actions">
        <button type="submit" className="button button--ghost" disabled={busy}>
          Save {policy.name}
        </button>
      </div>
    </form>
  );
}

function kindLabel(kind: string): string {
  return (POLICY_KINDS as readonly string[]).includes(kind)
    ? POLICY_KIND_LABELS[kind as PolicyKind]
    : settingLabel(kind);
}

/** Policies grouped by kind. */
export function PoliciesSection() {
  const policies = useResource(listPolicies, 'policies');
  const titleId = useId();
  const kinds = [...new Set((policies.data ?? []).map((p) => p.kind))];
  return (
    <section className="card" aria-labelledby={titleId} aria-busy={policies.loading}>
      <h2 id={titleId} className="card__title">
        Policies
      </h2>
      <p className="card__subtitle">
        The default policy of each kind applies to everyone without a named policy.
      </p>
      <AdminLoadError failure={policies.failure} />
      {kinds.map((kind) => (
        <section key={kind} className="policy-kind">
          <h3 className="status__subtitle">{kindLabel(kind)}</h3>
          {(policies.data ?? [])
            .filter((p) => p.kind === kind)
            .map((p) => (
              <PolicyCard key={`${p.id}:${p.updatedAt}`} policy={p} onSaved={policies.reload} />
            ))}
        </section>
      ))}
    </section>
  );
}
