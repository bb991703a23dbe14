/** The web shell: product header, sign-in card and live server status. */
import { Logo } from './components/Logo.tsx';
import { SignInCard } from './components/SignInCard.tsx';
import { StatusPanel } from './components/StatusPanel.tsx';

/** Root component of the web client. */
export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <Logo />
          <span className="site-header__name">Parley</span>
        </div>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        <section className="hero" aria-labelledby="hero-title">
          <h1 id="hero-title">Parley</h1>
          <p className="hero__lead">
            Secure team collaboration you run on your own servers: chat, channels and meetings for your
            organisation.
          </p>
        </section>
        <div className="grid">
          <SignInCard />
          <StatusPanel />
        </div>
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>Parley is self-hosted: your conversations stay on your organisation&rsquo;s servers.</p>
        </div>
      </footer>
    </>
  );
}
