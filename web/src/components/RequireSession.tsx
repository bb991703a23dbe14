/** Shows its children only when signed in; otherwise offers sign-in that comes back to this page. */
import type { ReactNode } from 'react';
import { signIn, useSession } from '../auth/session.ts';
import { ErrorAlert } from './Feedback.tsx';

/** Guard for pages that need the user's session. */
export function RequireSession({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  if (session.status === 'signed-in') return children;
  if (session.status === 'restoring')
    return (
      <p className="muted page-status" role="status">
        Loading your session…
      </p>
    );
  return (
    <section className="card narrow" aria-labelledby="require-session-title">
      <h1 id="require-session-title" className="card__title">
        Sign in to continue
      </h1>
      <ErrorAlert message={session.notice} />
      <p className="card__subtitle">This page needs your Parley account.</p>
      <button type="button" className="button button--primary" onClick={() => void signIn()}>
        Sign in
      </button>
    </section>
  );
}
