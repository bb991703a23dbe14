/** Users: search, a page at a time, and "New user" (the first password is shown once). */
import { useCallback, useId, useState, type SubmitEvent } from 'react';
import { listUsers, type AdminUser, type AdminUserDetail } from '../../api/admin/users.ts';
import { useResource } from '../../api/use-resource.ts';
import { Notice } from '../../components/Feedback.tsx';
import { Link } from '../../router.tsx';
import { AdminLoadError } from './admin-errors.tsx';
import { NewUserDialog } from './NewUserDialog.tsx';

/** The users list. */
export function UsersSection() {
  const searchId = useId();
  const titleId = useId();
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [extra, setExtra] = useState<
    { users: readonly AdminUser[]; nextKey: string | undefined } | undefined
  >(undefined);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const page = useResource((signal) => listUsers({ search: applied }, signal), `users:${applied}`);

  const onSearch = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setExtra(undefined);
    setApplied(search.trim());
  };

  const nextKey = extra === undefined ? page.data?.nextKey : extra.nextKey;
  const rows = [...(page.data?.users ?? []), ...(extra?.users ?? [])];

  const loadMore = () => {
    if (nextKey === undefined) return;
    void listUsers({ search: applied, after: nextKey }).then((more) =>
      setExtra((prev) => ({ users: [...(prev?.users ?? []), ...more.users], nextKey: more.nextKey })),
    );
  };

  const onCreated = useCallback(
    (created: AdminUserDetail) => {
      setNotice(`${created.user.displayName} was created.`);
      setExtra(undefined);
      page.reload();
    },
    [page],
  );

  return (
    <section className="card" aria-labelledby={titleId} aria-busy={page.loading}>
      <div className="card__head">
        <h2 id={titleId} className="card__title">
          Users
        </h2>
        <button
          type="button"
          className="button button--primary button--inline"
          onClick={() => setCreating(true)}
        >
          New user
        </button>
      </div>
      <form className="toolbar" role="search" onSubmit={onSearch}>
        <label htmlFor={searchId} className="visually-hidden">
          Search users by name
        </label>
        <input
          id={searchId}
          className="form__input"
          type="search"
          placeholder="Search by name"
          maxLength={256}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit" className="button button--ghost">
          Search
        </button>
      </form>
      <Notice message={notice} />
      <AdminLoadError failure={page.failure} />
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Username</th>
              <th scope="col">Job title</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((user) => (
              <tr key={user.id}>
                <td>
                  <Link to={`/admin/users/${user.id}`}>{user.displayName}</Link>
                </td>
                <td className="table__mono">{user.userPrincipalName}</td>
                <td>{user.jobTitle ?? ''}</td>
                <td>
                  <span className={user.accountEnabled ? 'badge badge--ok' : 'badge badge--disabled'}>
                    {user.accountEnabled ? 'Enabled' : 'Disabled'}
                  </span>
                </td>
              </tr>
            ))}
            {!page.loading && rows.length === 0 && page.failure === undefined && (
              <tr>
                <td colSpan={4} className="muted">
                  No users match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {nextKey !== undefined && (
        <div className="actions">
          <button type="button" className="button button--ghost" onClick={loadMore}>
            Show more
          </button>
        </div>
      )}
      {creating && <NewUserDialog onClose={() => setCreating(false)} onCreated={onCreated} />}
    </section>
  );
}
