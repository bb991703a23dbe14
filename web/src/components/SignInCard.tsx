/** Sign-in card of the signed-out home page: starts the OpenID Connect sign-in. */
import { useId, useState } from 'react';
import { messageOf } from '../api/http.ts';
import { signIn } from '../auth/session.ts';
import { ErrorAlert, Notice } from './Feedback.tsx';

/** "Sign in" with the organisation's account; a notice explains an ended session. */
export function SignInCard({ notice }: { readonly notice?: string | undefined }) {
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const start = () => {
    setBusy(true);
    setError(undefined);
    signIn('/').catch((err: unknown) => {
      setBusy(false);
      setError(messageOf(err));
    });
  };

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Sign in
      </h2>
      <p className="card__subtitle">Use your work account. Your organisation&rsquo;s sign-in rules apply.</p>
      <Notice message={notice} />
      <ErrorAlert message={error} />
      <div className="form">
        <button type="button" className="button button--primary" onClick={start} disabled={busy}>
          {busy ? 'Opening sign-in…' : 'Sign in'}
        </button>
      </div>
    </section>
  );
}
