/**
 * Sign-in card. Sign-in itself arrives with the directory; until then the form shows where it
 * will be and explains, in the page, why the button is not yet available.
 */
import { useId, type SubmitEvent } from 'react';

/** The sign-in form, not yet active. */
export function SignInCard() {
  const emailId = useId();
  const noteId = useId();
  const titleId = useId();

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    // Nothing to submit to yet; pressing Enter in the field must not reload the page.
    event.preventDefault();
  };

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Sign in
      </h2>
      <p className="card__subtitle">Use your work e-mail address.</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <label htmlFor={emailId} className="form__label">
          Work e-mail
        </label>
        <input
          id={emailId}
          className="form__input"
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          placeholder="you@example.org"
          aria-describedby={noteId}
        />
        <button type="submit" className="button button--primary" disabled aria-describedby={noteId}>
          Sign in
        </button>
        <p id={noteId} className="form__note">
          Sign-in opens as soon as your organisation&rsquo;s directory is set up. Your administrator will let
          you know.
        </p>
      </form>
    </section>
  );
}
