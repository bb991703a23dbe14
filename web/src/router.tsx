/**
 * Client-side routing without a dependency: the path is read from `location`, links push history
 * entries, and components re-render on `popstate`. The server answers every navigation with
 * index.html (SPA fallback), so a deep link or a reload lands on the same page.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const NAVIGATE_EVENT = 'parley:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentLocation(): string {
  return window.location.pathname + window.location.search;
}

/** The current path and query string, re-rendering the caller when either changes. */
export function useLocation(): URL {
  const href = useSyncExternalStore(subscribe, currentLocation);
  return new URL(href, window.location.origin);
}

/** Moves to a same-origin path without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

/** Matches `pattern` (segments, `:name` captures one segment) against `path`. */
export function matchPath(pattern: string, path: string): Readonly<Record<string, string>> | undefined {
  const want = pattern.split('/').filter((s) => s !== '');
  const have = path.split('/').filter((s) => s !== '');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const h = have[i] ?? '';
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return undefined;
      }
    } else if (w !== h) return undefined;
  }
  return params;
}

/** An in-app link: a real `<a href>` (open in new tab works) that navigates without a reload. */
export function Link({
  to,
  children,
  ...rest
}: { readonly to: string; readonly children: ReactNode } & Omit<
  AnchorHTMLAttributes<HTMLAnchorElement>,
  'href'
>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={to} onClick={onClick}>
      {children}
    </a>
  );
}
