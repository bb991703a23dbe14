/** The signed-in home page: who is signed in (from `/v1.0/me`) and the server's status. */
import { useId } from 'react';
import { fetchMe } from '../api/me.ts';
import { useResource } from '../api/use-resource.ts';
import { useSession } from '../auth/session.ts';
import { StatusPanel } from '../components/StatusPanel.tsx';
import { Link } from '../router.tsx';

/** Profile card and status panel. */
export function HomePage() {
  const session = useSession();
  const me = useResource(fetchMe, 'me');
  const titleId = useId();
  const claims = session.status === 'signed-in' ? session.claims : undefined;
  const name = me.data?.displayName ?? claims?.name ?? claims?.preferredUsername ?? '';

  return (
    <>
      <section className="hero hero--compact" aria-labelledby="hero-title">
        <h1 id="hero-title" data-testid="welcome">
          Welcome, {name}
        </h1>
        <p className="hero__lead">You are signed in to Parley.</p>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby={titleId} aria-busy={me.loading}>
          <h2 id={titleId} className="card__title">
            Your account
          </h2>
          {me.error !== undefined && (
            <p className="alert" role="alert">
              Your profile could not be loaded: {me.error}
            </p>
          )}
          <dl className="facts facts--wide">
            <div className="facts__row">
              <dt>Name</dt>
              <dd data-testid="profile-name">{name || '—'}</dd>
            </div>
            <div className="facts__row">
              <dt>Username</dt>
              <dd>{me.data?.userPrincipalName ?? claims?.preferredUsername ?? '—'}</dd>
            </div>
            {me.data?.mail !== undefined && (
              <div className="facts__row">
                <dt>E-mail</dt>
                <dd>{me.data.mail}</dd>
              </div>
            )}
            {me.data?.jobTitle !== undefined && (
              <div className="facts__row">
                <dt>Job title</dt>
                <dd>{me.data.jobTitle}</dd>
              </div>
            )}
            {me.data?.department !== undefined && (
              <div className="facts__row">
                <dt>Department</dt>
                <dd>{me.data.department}</dd>
              </div>
            )}
          </dl>
          <p className="card__foot">
            <Link to="/security">Manage sign-in security</Link>
          </p>
        </section>
        <StatusPanel />
      </div>
    </>
  );
}
