/**
 * The provider's sign-in page, `/login/{uid}`: reads where the sign-in stands, then shows the
 * password, second-factor or enrolment step; consent is recorded without asking (the provider
 * only asks for it for scopes users may grant themselves). When a step answers `done`, the
 * browser goes to `redirectTo`, which resumes the OAuth request and ends at the application.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/http.ts';
import {
  abortSignIn,
  fetchSignInState,
  giveConsent,
  type SignInNext,
  type SignInState,
} from '../../api/signin.ts';
import { beginSignIn } from '../../auth/oidc.ts';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { RecoveryCodes } from '../../components/RecoveryCodes.tsx';
import { AuthCard } from '../../components/AuthCard.tsx';
import { EnrolmentStep } from './EnrolmentStep.tsx';
import { PasswordForm } from './PasswordForm.tsx';
import { SecondFactorForm } from './SecondFactorForm.tsx';
import { stepErrorMessage, type LostReason } from './step-submit.ts';

type View =
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly message: string; readonly expired: boolean }
  | { readonly kind: 'password' | 'mfa' | 'mfa_enrolment' | 'consent' }
  | { readonly kind: 'recovery'; readonly codes: readonly string[]; readonly redirectTo: string }
  | { readonly kind: 'redirecting' };

const TITLES: Readonly<Record<View['kind'], string>> = {
  loading: 'Sign in',
  failed: 'Sign in',
  password: 'Sign in',
  mfa: 'Verify it’s you',
  mfa_enrolment: 'Set up your authenticator',
  consent: 'Signing you in',
  recovery: 'Save your recovery codes',
  redirecting: 'Signing you in',
};

const EXPIRED_MESSAGE = 'This sign-in has expired or is no longer valid.';

function continueTo(url: string): void {
  window.location.href = url;
}

/** The sign-in page for interaction `uid`. */
export function SignInPage({ uid }: { readonly uid: string }) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [context, setContext] = useState<SignInState | undefined>(undefined);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchSignInState(uid, controller.signal).then(
      (state) => {
        setContext(state);
        setView({ kind: state.step });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const expired = err instanceof ApiError && err.code === 'signin_expired';
        setView({ kind: 'failed', expired, message: expired ? EXPIRED_MESSAGE : stepErrorMessage(err) });
      },
    );
    return () => controller.abort();
  }, [uid, reload]);

  const onNext = useCallback((next: SignInNext) => {
    if (next.next !== 'done') {
      setView({ kind: next.next });
      return;
    }
    if (next.recoveryCodes.length > 0) {
      setView({ kind: 'recovery', codes: next.recoveryCodes, redirectTo: next.redirectTo });
      return;
    }
    setView({ kind: 'redirecting' });
    continueTo(next.redirectTo);
  }, []);

  const onLost = useCallback((reason: LostReason) => {
    if (reason === 'signin_expired') setView({ kind: 'failed', expired: true, message: EXPIRED_MESSAGE });
    else {
      setView({ kind: 'loading' });
      setReload((n) => n + 1);
    }
  }, []);

  // Consent needs no input here: the provider asks only for what the user may grant.
  useEffect(() => {
    if (view.kind !== 'consent') return;
    let live = true;
    giveConsent(uid).then(
      (next) => {
        if (live) onNext(next);
      },
      (err: unknown) => {
        if (!live) return;
        const expired = err instanceof ApiError && err.code === 'signin_expired';
        setView({ kind: 'failed', expired, message: expired ? EXPIRED_MESSAGE : stepErrorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [view.kind, uid, onNext]);

  const cancel = () => {
    abortSignIn(uid).then(continueTo, () => {
      setView({ kind: 'failed', expired: true, message: EXPIRED_MESSAGE });
    });
  };

  const canCancel = view.kind === 'password' || view.kind === 'mfa' || view.kind === 'mfa_enrolment';

  return (
    <AuthCard title={TITLES[view.kind]} wide={view.kind === 'mfa_enrolment' || view.kind === 'recovery'}>
      {context !== undefined && view.kind !== 'failed' && (
        <p className="auth__context" data-testid="signin-context">
          {context.organization !== '' ? (
            <>
              <strong>{context.organization}</strong> ·{' '}
            </>
          ) : null}
          to continue to {context.application}
        </p>
      )}
      {view.kind === 'loading' && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {view.kind === 'failed' && (
        <ErrorAlert message={view.message}>
          {view.expired && (
            <p className="alert__more">
              If you were signing in to another application, go back to it and start again.
            </p>
          )}
        </ErrorAlert>
      )}
      {view.kind === 'failed' && view.expired && (
        <button
          type="button"
          className="button button--primary"
          onClick={() => void beginSignIn({ returnTo: '/' })}
        >
          Start again
        </button>
      )}
      {view.kind === 'password' && (
        <PasswordForm uid={uid} loginHint={context?.loginHint} onNext={onNext} onLost={onLost} />
      )}
      {view.kind === 'mfa' && <SecondFactorForm uid={uid} onNext={onNext} onLost={onLost} />}
      {view.kind === 'mfa_enrolment' && <EnrolmentStep uid={uid} onNext={onNext} onLost={onLost} />}
      {view.kind === 'recovery' && (
        <RecoveryCodes
          codes={view.codes}
          onSaved={() => {
            const target = view.redirectTo;
            setView({ kind: 'redirecting' });
            continueTo(target);
          }}
        />
      )}
      {(view.kind === 'consent' || view.kind === 'redirecting') && (
        <p className="muted" role="status">
          Signing you in…
        </p>
      )}
      {canCancel && (
        <button type="button" className="button button--link auth__cancel" onClick={cancel}>
          Cancel sign-in
        </button>
      )}
    </AuthCard>
  );
}
