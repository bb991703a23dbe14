/**
 * Second-factor enrolment during sign-in, when the organisation requires MFA and the user has no
 * authenticator yet: QR code and key, then a first code to prove the app has the secret.
 */
import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { ApiError } from '../../api/http.ts';
import { beginEnrolment, confirmEnrolment, type TotpEnrolment } from '../../api/signin.ts';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { TotpSetup } from '../../components/TotpSetup.tsx';
import { normaliseTotp } from './codes.ts';
import { StepErrorAlert } from './PasswordForm.tsx';
import { StepError, stepErrorMessage, useStepSubmit } from './step-submit.ts';
import type { StepProps } from './step-props.ts';

/** Loads a fresh secret once, then confirms it with a code. */
export function EnrolmentStep({ uid, onNext, onLost }: StepProps) {
  const codeId = useId();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [code, setCode] = useState('');
  const { busy, error, attempt, submit } = useStepSubmit(onLost);
  // One enrolment per visit: each request replaces the pending secret on the server.
  const request = useRef<Promise<TotpEnrolment> | undefined>(undefined);

  useEffect(() => {
    let live = true;
    request.current ??= beginEnrolment(uid);
    request.current.then(
      (value) => {
        if (live) setEnrolment(value);
      },
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && (err.code === 'signin_expired' || err.code === 'step_out_of_order'))
          onLost(err.code);
        else setLoadError(stepErrorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [uid, onLost]);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const normalised = normaliseTotp(code);
    if (normalised === undefined) {
      submit(() => Promise.reject(new StepError('Enter the six-digit code from your authenticator app.')));
      return;
    }
    submit(
      async () => onNext(await confirmEnrolment(uid, normalised)),
      () => setCode(''),
    );
  };

  if (loadError !== undefined) return <ErrorAlert message={loadError} />;
  if (enrolment === undefined)
    return (
      <p className="muted" role="status">
        Preparing your authenticator set-up…
      </p>
    );

  return (
    <>
      <p className="card__subtitle">
        Your organisation requires a second step at sign-in. Set up an authenticator app now.
      </p>
      <TotpSetup secret={enrolment.secret} qrSvg={enrolment.qrSvg} />
      <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <label htmlFor={codeId} className="form__label">
          Code from the app
        </label>
        <input
          id={codeId}
          className="form__input form__input--code"
          type="text"
          name="otp"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <StepErrorAlert error={error} attempt={attempt} />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Checking…' : 'Verify and continue'}
        </button>
      </form>
    </>
  );
}
