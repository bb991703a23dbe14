/**
 * Security page: the user's authenticator app and recovery codes. Setting up shows the QR code
 * and key, then asks for a first code; removal and new recovery codes ask for a current code.
 */
import { useId, useState } from 'react';
import { beginTotp, confirmTotp, fetchMethods, regenerateRecoveryCodes, removeTotp } from '../api/me.ts';
import type { TotpEnrolment } from '../api/signin.ts';
import { messageOf } from '../api/http.ts';
import { useResource } from '../api/use-resource.ts';
import { CodeConfirmForm } from '../components/CodeConfirmForm.tsx';
import { RecoveryCodes } from '../components/RecoveryCodes.tsx';
import { TotpSetup } from '../components/TotpSetup.tsx';
import { ErrorAlert, Notice } from '../components/Feedback.tsx';

type Mode =
  | { readonly kind: 'idle' }
  | { readonly kind: 'enrolling'; readonly enrolment: TotpEnrolment }
  | { readonly kind: 'removing' }
  | { readonly kind: 'regenerating' }
  | { readonly kind: 'codes'; readonly codes: readonly string[] };

function formatDate(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** The Security page. */
export function SecurityPage() {
  const methods = useResource(fetchMethods, 'methods');
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [starting, setStarting] = useState(false);
  const titleId = useId();

  const start = () => {
    setStarting(true);
    setError(undefined);
    setNotice(undefined);
    beginTotp().then(
      (enrolment) => {
        setStarting(false);
        setMode({ kind: 'enrolling', enrolment });
      },
      (err: unknown) => {
        setStarting(false);
        setError(messageOf(err));
      },
    );
  };

  const finish = (message: string) => {
    setMode({ kind: 'idle' });
    setNotice(message);
    methods.reload();
  };

  const m = methods.data;
  return (
    <>
      <section className="page-head">
        <h1>Security</h1>
        <p className="hero__lead">How you prove it&rsquo;s you when you sign in.</p>
      </section>
      <section className="card narrow-wide" aria-labelledby={titleId} aria-busy={methods.loading}>
        <div className="card__head">
          <h2 id={titleId} className="card__title">
            Authenticator app
          </h2>
          {m !== undefined && (
            <span
              className={m.totpEnrolled ? 'pill pill--ok' : 'pill pill--pending'}
              data-testid="totp-state"
            >
              <span className="pill__dot" aria-hidden="true" />
              {m.totpEnrolled ? 'Set up' : 'Not set up'}
            </span>
          )}
        </div>
        <ErrorAlert message={methods.error} />
        <Notice message={notice} />
        <ErrorAlert message={error} />

        {mode.kind === 'codes' && (
          <RecoveryCodes
            codes={mode.codes}
            savedLabel="Done"
            onSaved={() => finish('Your recovery codes are ready.')}
          />
        )}

        {mode.kind === 'enrolling' && (
          <>
            <TotpSetup secret={mode.enrolment.secret} qrSvg={mode.enrolment.qrSvg} />
            <CodeConfirmForm
              label="Code from the app"
              actionLabel="Verify and turn on"
              onConfirm={async (code) => {
                const codes = await confirmTotp(code);
                setNotice('Your authenticator app is set up.');
                setMode({ kind: 'codes', codes });
                methods.reload();
              }}
              onCancel={() => setMode({ kind: 'idle' })}
            />
          </>
        )}

        {mode.kind === 'removing' && (
          <CodeConfirmForm
            label="Enter a current code to remove the authenticator"
            actionLabel="Remove authenticator"
            danger
            allowRecoveryCode
            onConfirm={async (code) => {
              await removeTotp(code);
              finish('The authenticator app and its recovery codes were removed.');
            }}
            onCancel={() => setMode({ kind: 'idle' })}
          />
        )}

        {mode.kind === 'regenerating' && (
          <CodeConfirmForm
            label="Enter a current code to replace your recovery codes"
            actionLabel="Create new codes"
            allowRecoveryCode
            onConfirm={async (code) => {
              const codes = await regenerateRecoveryCodes(code);
              setMode({ kind: 'codes', codes });
            }}
            onCancel={() => setMode({ kind: 'idle' })}
          />
        )}

        {mode.kind === 'idle' && m !== undefined && !m.totpEnrolled && (
          <>
            <p className="card__subtitle">
              Add a second step to sign-in with a code from an app on your phone. Your organisation may
              require it.
            </p>
            <div className="actions">
              <button type="button" className="button button--primary" onClick={start} disabled={starting}>
                {starting ? 'Starting…' : 'Set up authenticator app'}
              </button>
            </div>
          </>
        )}

        {mode.kind === 'idle' && m?.totpEnrolled === true && (
          <>
            <dl className="facts facts--wide">
              {m.totpConfirmedAt !== undefined && (
                <div className="facts__row">
                  <dt>Set up on</dt>
                  <dd>{formatDate(m.totpConfirmedAt)}</dd>
                </div>
              )}
              <div className="facts__row">
                <dt>Recovery codes</dt>
                <dd data-testid="recovery-remaining">{m.recoveryCodesRemaining} unused</dd>
              </div>
            </dl>
            <div className="actions">
              <button
                type="button"
                className="button button--ghost"
                onClick={() => setMode({ kind: 'regenerating' })}
              >
                New recovery codes
              </button>
              <button
                type="button"
                className="button button--danger-ghost"
                onClick={() => setMode({ kind: 'removing' })}
              >
                Remove authenticator
              </button>
            </div>
          </>
        )}
      </section>
    </>
  );
}
