/** Shared submit handling of the sign-in steps: busy state, error text, expiry. */
import { useCallback, useState } from 'react';
import { ApiError, messageOf } from '../../api/http.ts';

/** A problem found in the page before anything is sent. */
export class StepError extends Error {
  override readonly name = 'StepError';
}

/** The text shown for a failed step. */
export function stepErrorMessage(err: unknown): string {
  if (err instanceof ApiError && err.code === 'signin_throttled' && err.retryAfterSec !== undefined)
    return `${err.message} You can try again in ${Math.ceil(err.retryAfterSec)} seconds.`;
  return messageOf(err);
}

/** Answers after which the step on screen is no longer the server's step. */
export type LostReason = 'signin_expired' | 'step_out_of_order';

/**
 * Runs one step request at a time. An expired sign-in or a step the server no longer expects goes
 * to `onLost` (the page changes view) instead of the inline error.
 */
export function useStepSubmit(onLost: (reason: LostReason) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);

  const submit = useCallback(
    (run: () => Promise<void>, onFailure?: () => void) => {
      setBusy(true);
      setError(undefined);
      run().then(
        () => setBusy(false),
        (err: unknown) => {
          setBusy(false);
          onFailure?.();
          if (
            err instanceof ApiError &&
            (err.code === 'signin_expired' || err.code === 'step_out_of_order')
          ) {
            onLost(err.code);
            return;
          }
          setAttempt((n) => n + 1);
          setError(stepErrorMessage(err));
        },
      );
    },
    [onLost],
  );
  return { busy, error, attempt, submit };
}
