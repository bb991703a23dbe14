/**
 * The frame of the sign-in pages: one centred card with the product mark, no navigation. When the
 * title changes (the next step), focus moves to it so screen readers announce the new step.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Logo } from './Logo.tsx';

/** A sign-in page's card. */
export function AuthCard({
  title,
  wide = false,
  children,
}: {
  readonly title: string;
  readonly wide?: boolean;
  readonly children: ReactNode;
}) {
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstTitle = useRef(title);

  useEffect(() => {
    document.title = `${title} · Parley`;
    if (title !== firstTitle.current) {
      firstTitle.current = title;
      heading.current?.focus();
    }
  }, [title]);

  return (
    <main id="main" className="auth" tabIndex={-1}>
      <section
        className={wide ? 'card auth__card auth__card--wide' : 'card auth__card'}
        aria-labelledby={titleId}
      >
        <div className="auth__brand">
          <Logo size={32} />
          <span className="site-header__name">Parley</span>
        </div>
        <h1 id={titleId} ref={heading} tabIndex={-1} className="auth__title">
          {title}
        </h1>
        {children}
      </section>
    </main>
  );
}
