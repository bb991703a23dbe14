/**
 * `/auth/callback`: the end of the authorization code flow. Validates the response, redeems the
 * code, starts the session and replaces the URL (so the code leaves the address bar and history).
 */
import { useEffect, useState } from 'react';
import { beginSignIn, completeSignIn, SignInError } from '../auth/oidc.ts';
import { startSession } from '../auth/session.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { ErrorAlert } from '../components/Feedback.tsx';
import { navigate } from '../router.tsx';

// The pending sign-in is single use, so the callback must be processed once per URL even when a
// component mounts twice (React StrictMode in development).
const inFlight = new Map<string, ReturnType<typeof completeSignIn>>();

/** Completes the sign-in and moves on to where it started. */
export function CallbackPage() {
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    const href = window.location.href;
    let promise = inFlight.get(href);
    if (promise === undefined) {
      promise = completeSignIn(new URL(href));
      inFlight.set(href, promise);
    }
    let live = true;
    promise.then(
      ({ tokens, returnTo }) => {
        if (!live) return;
        startSession(tokens);
        navigate(returnTo, { replace: true });
      },
      (err: unknown) => {
        if (!live) return;
        // The code and state are useless now; keep them out of the address bar.
        window.history.replaceState(null, '', '/auth/callback');
        setError(err instanceof SignInError ? err.message : 'Sign-in could not be completed.');
      },
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <AuthCard title={error === undefined ? 'Signing you in' : 'Sign-in problem'}>
      {error === undefined ? (
        <p className="muted" role="status">
          Finishing sign-in…
        </p>
      ) : (
        <>
          <ErrorAlert message={error} />
          <button
            type="button"
            className="button button--primary"
            onClick={() => void beginSignIn({ returnTo: '/' })}
          >
            Sign in again
          </button>
        </>
      )}
    </AuthCard>
  );
}
