/** Any path the client does not know. */
import { Link } from '../router.tsx';

/** A short "not found" card with a way home. */
export function NotFoundPage() {
  return (
    <section className="card narrow" aria-labelledby="not-found-title">
      <h1 id="not-found-title" className="card__title">
        Page not found
      </h1>
      <p className="card__subtitle">There is nothing at this address.</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
