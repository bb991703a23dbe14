/** The signed-out home page: what Parley is, sign-in and the server's live status. */
import { useSession } from '../auth/session.ts';
import { SignInCard } from '../components/SignInCard.tsx';
import { StatusPanel } from '../components/StatusPanel.tsx';

/** Hero, sign-in card and status panel. */
export function LandingPage() {
  const session = useSession();
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Parley</h1>
        <p className="hero__lead">
          Secure team collaboration you run on your own servers: chat, channels and meetings for your
          organisation.
        </p>
      </section>
      <div className="grid">
        {session.status === 'restoring' ? (
          <section className="card" aria-busy="true">
            <p className="muted" role="status">
              Loading your session…
            </p>
          </section>
        ) : (
          <SignInCard notice={session.status === 'signed-out' ? session.notice : undefined} />
        )}
        <StatusPanel />
      </div>
    </>
  );
}
