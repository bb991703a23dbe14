/**
 * The admin centre (`/admin/...`): one section per directory resource. Access is decided by the
 * server for every request; a user without an admin role sees the refusal, not the data.
 */
import type { ReactNode } from 'react';
import { Link } from '../../router.tsx';
import { AppDetailPage } from './AppDetailPage.tsx';
import { AppsSection } from './AppsSection.tsx';
import { GroupsSection } from './GroupsSection.tsx';
import { LicencesSection } from './LicencesSection.tsx';
import { PoliciesSection } from './PoliciesSection.tsx';
import { SignInSection } from './SignInSection.tsx';
import { UserDetailPage } from './UserDetailPage.tsx';
import { UsersSection } from './UsersSection.tsx';

const SECTIONS = [
  { id: 'users', label: 'Users' },
  { id: 'groups', label: 'Groups' },
  { id: 'licences', label: 'Licences' },
  { id: 'policies', label: 'Policies' },
  { id: 'apps', label: 'App registrations' },
  { id: 'sign-in', label: 'Sign-in and domains' },
] as const;

type SectionId = (typeof SECTIONS)[number]['id'];

function isSection(value: string | undefined): value is SectionId {
  return SECTIONS.some((s) => s.id === value);
}

function content(section: SectionId, id: string | undefined): ReactNode {
  switch (section) {
    case 'users':
      return id === undefined ? <UsersSection /> : <UserDetailPage userId={id} />;
    case 'groups':
      return <GroupsSection />;
    case 'licences':
      return <LicencesSection />;
    case 'policies':
      return <PoliciesSection />;
    case 'apps':
      return id === undefined ? <AppsSection /> : <AppDetailPage appId={id} />;
    case 'sign-in':
      return <SignInSection />;
  }
}

/** The admin centre frame: section navigation and the chosen section. */
export function AdminPage({
  section,
  id,
}: {
  readonly section: string | undefined;
  readonly id: string | undefined;
}) {
  const current: SectionId | undefined =
    section === undefined ? 'users' : isSection(section) ? section : undefined;
  return (
    <div className="admin">
      <div className="page-head">
        <h1>Admin centre</h1>
      </div>
      <div className="admin__layout">
        <nav className="admin__nav" aria-label="Admin centre">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <Link
                  to={`/admin/${s.id}`}
                  className="admin__nav-link"
                  aria-current={current === s.id ? 'page' : undefined}
                >
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="admin__content">
          {current === undefined ? (
            <section className="card">
              <p>There is no such section.</p>
            </section>
          ) : (
            content(current, id)
          )}
        </div>
      </div>
    </div>
  );
}
