/**
 * First sign-in step: username and password in one form, so password managers fill both. The
 * error wording comes from the server and never says which of the two was wrong.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { submitPassword } from '../../api/signin.ts';
import { StepError, useStepSubmit } from './step-submit.ts';
import type { StepProps } from './step-props.ts';

/** Username (prefilled from the login hint) and password. */
export function PasswordForm({
  uid,
  loginHint,
  onNext,
  onLost,
}: StepProps & { readonly loginHint: string | undefined }) {
  const usernameId = useId();
  const passwordId = useId();
  const [username, setUsername] = useState(loginHint ?? '');
  const [password, setPassword] = useState('');
  const { busy, error, attempt, submit } = useStepSubmit(onLost);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (username.trim() === '' || password === '') {
      submit(() => Promise.reject(new StepError('Enter your username and password.')));
      return;
    }
    submit(
      async () => {
        const next = await submitPassword(uid, username.trim(), password);
        // The password leaves component state once used (the form may stay on screen on error).
        setPassword('');
        onNext(next);
      },
      () => setPassword(''),
    );
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy}>
      <label htmlFor={usernameId} className="form__label">
        Username
      </label>
      <input
        id={usernameId}
        className="form__input"
        type="email"
        name="username"
        autoComplete="username"
        inputMode="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={256}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        autoFocus={loginHint === undefined}
      />
      <label htmlFor={passwordId} className="form__label">
        Password
      </label>
      <input
        id={passwordId}
        className="form__input"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        maxLength={256}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoFocus={loginHint !== undefined}
      />
      <StepErrorAlert error={error} attempt={attempt} />
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** The step's error, re-announced on every failed attempt (the key changes). */
export function StepErrorAlert({
  error,
  attempt,
}: {
  readonly error: string | undefined;
  readonly attempt: number;
}) {
  if (error === undefined) return null;
  return (
    <p key={attempt} className="alert" role="alert" data-testid="signin-error">
      {error}
    </p>
  );
}
