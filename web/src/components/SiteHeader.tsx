/** The product header: mark and name, and when signed in the sections, the user and Sign out. */
import { signOut, useSession } from '../auth/session.ts';
import { Link, useLocation } from '../router.tsx';
import { Logo } from './Logo.tsx';

const SECTIONS = [
  { to: '/', label: 'Home' },
  { to: '/security', label: 'Security' },
  { to: '/admin', label: 'Admin centre' },
] as const;

function isCurrent(section: string, path: string): boolean {
  return section === '/' ? path === '/' : path === section || path.startsWith(`${section}/`);
}

/** Site header; the navigation appears once signed in. */
export function SiteHeader() {
  const session = useSession();
  const { pathname } = useLocation();
  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link to="/" className="site-header__home">
          <Logo />
          <span className="site-header__name">Parley</span>
        </Link>
        {session.status === 'signed-in' && (
          <>
            <nav className="site-nav" aria-label="Main">
              <ul>
                {SECTIONS.map((s) => (
                  <li key={s.to}>
                    <Link
                      to={s.to}
                      className="site-nav__link"
                      aria-current={isCurrent(s.to, pathname) ? 'page' : undefined}
                    >
                      {s.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="site-header__user">
              <span className="site-header__who" data-testid="signed-in-user">
                {session.claims.name ?? session.claims.preferredUsername ?? 'Signed in'}
              </span>
              <button type="button" className="button button--ghost" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </>
        )}
      </div>
    </header>
  );
}
