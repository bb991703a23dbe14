/** Second sign-in step: a code from the authenticator app, or one of the recovery codes. */
import { useId, useState, type SubmitEvent } from 'react';
import { submitSecondFactor } from '../../api/signin.ts';
import { normaliseRecoveryCode, normaliseTotp } from './codes.ts';
import { StepErrorAlert } from './PasswordForm.tsx';
import { StepError, useStepSubmit } from './step-submit.ts';
import type { StepProps } from './step-props.ts';

/** Code entry with a switch to recovery codes. */
export function SecondFactorForm({ uid, onNext, onLost }: StepProps) {
  const codeId = useId();
  const hintId = useId();
  const [mode, setMode] = useState<'totp' | 'recovery'>('totp');
  const [code, setCode] = useState('');
  const { busy, error, attempt, submit } = useStepSubmit(onLost);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const normalised = mode === 'totp' ? normaliseTotp(code) : normaliseRecoveryCode(code);
    if (normalised === undefined) {
      const problem =
        mode === 'totp'
          ? 'Enter the six-digit code from your authenticator app.'
          : 'Enter a recovery code in the form xxxx-xxxx-xxxx.';
      submit(() => Promise.reject(new StepError(problem)));
      return;
    }
    submit(
      async () => onNext(await submitSecondFactor(uid, normalised)),
      () => setCode(''),
    );
  };

  const switchMode = () => {
    setMode((m) => (m === 'totp' ? 'recovery' : 'totp'));
    setCode('');
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy}>
      <label htmlFor={codeId} className="form__label">
        {mode === 'totp' ? 'Authenticator code' : 'Recovery code'}
      </label>
      <p id={hintId} className="form__note">
        {mode === 'totp'
          ? 'Open your authenticator app and enter the six-digit code it shows for Parley.'
          : 'Enter one of the recovery codes you saved when you set up your authenticator. Each works once.'}
      </p>
      <input
        key={mode}
        id={codeId}
        className="form__input form__input--code"
        type="text"
        name={mode === 'totp' ? 'otp' : 'recovery-code'}
        autoComplete="one-time-code"
        inputMode={mode === 'totp' ? 'numeric' : 'text'}
        autoCapitalize="none"
        spellCheck={false}
        maxLength={mode === 'totp' ? 7 : 14}
        aria-describedby={hintId}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoFocus
      />
      <StepErrorAlert error={error} attempt={attempt} />
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Checking…' : 'Verify'}
      </button>
      <button type="button" className="button button--link" onClick={switchMode}>
        {mode === 'totp' ? 'Use a recovery code instead' : 'Use my authenticator app instead'}
      </button>
    </form>
  );
}
