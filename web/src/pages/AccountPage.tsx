/**
 * `/login/account?next=…`: the multi-tenant authorize endpoint (`/organizations`) sends the browser
 * here when the request names no tenant. The page asks for the work address and continues the
 * same authorization request at the tenant of the address's domain, with the address as
 * `login_hint` so the sign-in page is prefilled.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { beginSignIn } from '../auth/oidc.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { ErrorAlert } from '../components/Feedback.tsx';

const AUTHORIZE_PATH = '/oauth2/v2.0/authorize';
const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The continuation URL for `email`, or undefined when the address or `next` is unusable. `next`
 * must be the authorize path and query (nothing else), so the page cannot be used to send the
 * browser anywhere but an authorize endpoint of this origin.
 */
export function continuationUrl(next: string | null, email: string): string | undefined {
  if (next?.startsWith(`${AUTHORIZE_PATH}?`) !== true) return undefined;
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return undefined;
  const domain = email.slice(at + 1).toLowerCase();
  if (!DOMAIN.test(domain)) return undefined;
  const url = new URL(`/${domain}${next}`, window.location.origin);
  if (url.origin !== window.location.origin || url.pathname !== `/${domain}${AUTHORIZE_PATH}`)
    return undefined;
  url.searchParams.set('login_hint', email);
  return url.href;
}

/** Whether this server has a tenant for the domain (its discovery answers). */
async function tenantExists(domain: string): Promise<boolean | undefined> {
  try {
    const response = await fetch(`/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
    });
    if (response.ok) return true;
    if (response.status === 404) return false;
    return undefined;
  } catch {
    return undefined;
  }
}

/** Asks for the work e-mail address, then continues at the user's organisation. */
export function AccountPage({ next }: { readonly next: string | null }) {
  const emailId = useId();
  const noteId = useId();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const validNext = next?.startsWith(`${AUTHORIZE_PATH}?`) === true;

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const address = email.trim();
    const target = continuationUrl(next, address);
    if (target === undefined) {
      setError('Enter your work e-mail address, for example name@example.org.');
      return;
    }
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    setBusy(true);
    setError(undefined);
    void tenantExists(domain).then((exists) => {
      if (exists === false) {
        setBusy(false);
        setError('No organisation on this server uses that address. Check it, or ask your administrator.');
        return;
      }
      window.location.assign(target);
    });
  };

  if (!validNext)
    return (
      <AuthCard title="Sign in">
        <ErrorAlert message="This sign-in link is not complete. Go back to the application and start again." />
        <button
          type="button"
          className="button button--primary"
          onClick={() => void beginSignIn({ returnTo: '/' })}
        >
          Sign in to Parley
        </button>
      </AuthCard>
    );

  return (
    <AuthCard title="Sign in">
      <p className="card__subtitle">Enter your work e-mail address to find your organisation.</p>
      <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <label htmlFor={emailId} className="form__label">
          Work e-mail
        </label>
        <input
          id={emailId}
          className="form__input"
          type="email"
          name="username"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="you@example.org"
          maxLength={256}
          required
          aria-describedby={noteId}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoFocus
        />
        <p id={noteId} className="form__note">
          You will sign in with your organisation&rsquo;s account.
        </p>
        <ErrorAlert message={error} />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Finding your organisation…' : 'Next'}
        </button>
      </form>
    </AuthCard>
  );
}
