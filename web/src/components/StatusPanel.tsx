/** Live server status: overall readiness, version, roles and each dependency check. */
import { useId } from 'react';
import { POLL_INTERVAL_MS, useServerHealth, type ServerHealth } from '../api/use-server-health.ts';
import { CheckBadge } from './CheckBadge.tsx';

const CHECK_NAMES: Readonly<Record<string, string>> = { database: 'Database', redis: 'Redis' };

function overall(health: ServerHealth): { label: string; tone: 'ok' | 'failing' | 'pending' } {
  if (health.phase === 'loading') return { label: 'Checking…', tone: 'pending' };
  if (health.phase === 'unreachable') return { label: 'Unreachable', tone: 'failing' };
  return health.readiness?.status === 'ready'
    ? { label: 'Ready', tone: 'ok' }
    : { label: 'Not ready', tone: 'failing' };
}

function formatTime(date: Date | undefined): string {
  return date
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : '—';
}

/** Panel that polls the server every ten seconds. */
export function StatusPanel() {
  const { health, refresh } = useServerHealth();
  const titleId = useId();
  const state = overall(health);
  const checks = Object.entries(health.readiness?.checks ?? {});

  return (
    <section className="card status" aria-labelledby={titleId} aria-busy={health.refreshing}>
      <div className="card__head">
        <h2 id={titleId} className="card__title">
          Server status
        </h2>
        <span className={`pill pill--${state.tone}`} role="status" data-testid="server-state">
          <span className="pill__dot" aria-hidden="true" />
          {state.label}
        </span>
      </div>

      {health.phase === 'unreachable' && (
        <p className="alert" role="alert">
          {health.error ?? 'The server could not be reached'}. Parley will try again in{' '}
          {POLL_INTERVAL_MS / 1000} seconds.
        </p>
      )}

      <dl className="facts">
        <div className="facts__row">
          <dt>Version</dt>
          <dd data-testid="server-version">{health.status?.version ?? '—'}</dd>
        </div>
        <div className="facts__row">
          <dt>Roles</dt>
          <dd>
            {health.status && health.status.roles.length > 0 ? (
              <ul className="tags" aria-label="Process roles">
                {health.status.roles.map((role) => (
                  <li key={role} className="tag">
                    {role}
                  </li>
                ))}
              </ul>
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>

      <h3 className="status__subtitle">Checks</h3>
      {checks.length > 0 ? (
        <ul className="checks" aria-live="polite">
          {checks.map(([name, check]) => (
            <li key={name} className="checks__row" data-testid={`check-${name}`}>
              <span className="checks__name">{CHECK_NAMES[name] ?? name}</span>
              <CheckBadge state={check} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">
          {health.phase === 'loading' ? 'Waiting for the first reading…' : 'No checks reported.'}
        </p>
      )}

      <div className="status__foot">
        <p className="muted">
          Last checked <time dateTime={health.checkedAt?.toISOString()}>{formatTime(health.checkedAt)}</time>
        </p>
        <button type="button" className="button button--ghost" onClick={refresh} disabled={health.refreshing}>
          Check now
        </button>
      </div>
    </section>
  );
}
