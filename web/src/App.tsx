/**
 * Root component of the web client: picks the page from the path. Sign-in pages (the provider's
 * `/login/...` and the OAuth callback) have their own frame; every other page sits in the site
 * shell with the header.
 */
import { useEffect, type ReactNode } from 'react';
import { awaitCallback, restoreSession, useSession } from './auth/session.ts';
import { RequireSession } from './components/RequireSession.tsx';
import { SiteHeader } from './components/SiteHeader.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { AdminPage } from './pages/admin/AdminPage.tsx';
import { CallbackPage } from './pages/CallbackPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { LandingPage } from './pages/LandingPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SecurityPage } from './pages/SecurityPage.tsx';
import { SignInPage } from './pages/signin/SignInPage.tsx';
import { matchPath, useLocation } from './router.tsx';

const CALLBACK_PATH = '/auth/callback';

function Shell({ children }: { readonly children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader />
      <main id="main" className="container" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>Parley is self-hosted: your conversations stay on your organisation&rsquo;s servers.</p>
        </div>
      </footer>
    </>
  );
}

function HomeRoute() {
  const session = useSession();
  return session.status === 'signed-in' ? <HomePage /> : <LandingPage />;
}

function shellPage(path: string): { title: string; page: ReactNode } {
  if (path === '/') return { title: 'Parley', page: <HomeRoute /> };
  if (path === '/security')
    return {
      title: 'Security · Parley',
      page: (
        <RequireSession>
          <SecurityPage />
        </RequireSession>
      ),
    };
  const admin =
    path === '/admin' ? {} : (matchPath('/admin/:section', path) ?? matchPath('/admin/:section/:id', path));
  if (admin !== undefined)
    return {
      title: 'Admin centre · Parley',
      page: (
        <RequireSession>
          <AdminPage section={admin.section} id={admin.id} />
        </RequireSession>
      ),
    };
  return { title: 'Not found · Parley', page: <NotFoundPage /> };
}

/** The web client. */
export function App() {
  const location = useLocation();
  const path = location.pathname;

  useEffect(() => {
    // The callback starts the session itself; everywhere else the tab's session is resumed.
    if (window.location.pathname === CALLBACK_PATH) awaitCallback();
    else void restoreSession();
  }, []);

  const { title, page } = shellPage(path);
  useEffect(() => {
    if (path !== CALLBACK_PATH && !path.startsWith('/login/')) document.title = title;
  }, [path, title]);

  if (path === CALLBACK_PATH) return <CallbackPage />;
  if (path === '/login/account') return <AccountPage next={location.searchParams.get('next')} />;
  const login = matchPath('/login/:uid', path);
  if (login?.uid !== undefined) return <SignInPage uid={login.uid} />;
  return <Shell>{page}</Shell>;
}
