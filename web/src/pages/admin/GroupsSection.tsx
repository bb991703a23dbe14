/** Groups: create and delete, and manage the members of the one selected. */
import { useId, useState, type SubmitEvent } from 'react';
import {
  createGroup,
  deleteGroup,
  listGroups,
  listMembers,
  setMember,
  type AdminGroup,
} from '../../api/admin/groups.ts';
import { listUsers } from '../../api/admin/users.ts';
import { useResource } from '../../api/use-resource.ts';
import { ErrorAlert } from '../../components/Feedback.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';

function Members({ group, onDeleted }: { readonly group: AdminGroup; readonly onDeleted: () => void }) {
  const members = useResource((signal) => listMembers(group.id, signal), `members:${group.id}`);
  const findId = useId();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  const run = (work: Promise<unknown>, after: () => void = members.reload) => {
    setError(undefined);
    work.then(after, (err: unknown) => setError(adminErrorMessage(err)));
  };

  const add = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const search = query.trim();
    if (search === '') return;
    run(
      listUsers({ search, top: 2 }).then(async (page) => {
        const [match, other] = page.users;
        if (match === undefined) throw new Error('No user has a name starting with that.');
        if (other !== undefined) throw new Error('More than one user matches: type more of the name.');
        await setMember(group.id, match.id, true);
        setQuery('');
      }),
    );
  };

  return (
    <section className="subcard" aria-label={`Members of ${group.displayName}`}>
      <div className="card__head">
        <h3 className="card__title">{group.displayName}</h3>
        <button
          type="button"
          className="button button--danger-ghost"
          onClick={() => {
            if (window.confirm(`Delete the group ${group.displayName}?`))
              run(deleteGroup(group.id), onDeleted);
          }}
        >
          Delete group
        </button>
      </div>
      {group.description !== null && <p className="card__subtitle">{group.description}</p>}
      <AdminLoadError failure={members.failure} />
      <ErrorAlert message={error} />
      <ul className="list">
        {(members.data ?? []).map((m) => (
          <li key={m.id} className="list__row">
            <span>
              {m.displayName} <span className="muted table__mono">{m.userPrincipalName}</span>
            </span>
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => run(setMember(group.id, m.id, false))}
            >
              Remove
            </button>
          </li>
        ))}
        {members.data?.length === 0 && <li className="list__row muted">No members yet.</li>}
      </ul>
      <form className="inline-form" onSubmit={add}>
        <label htmlFor={findId} className="form__label">
          Add a member by name
        </label>
        <input id={findId} className="form__input" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit" className="button button--ghost">
          Add
        </button>
      </form>
    </section>
  );
}

/** The groups section. */
export function GroupsSection() {
  const groups = useResource(listGroups, 'groups');
  const titleId = useId();
  const nameId = useId();
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const create = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    createGroup({ displayName: name.trim() }).then(
      (group) => {
        setName('');
        setSelected(group.id);
        groups.reload();
      },
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };

  const current = groups.data?.find((g) => g.id === selected);
  return (
    <section className="card" aria-labelledby={titleId} aria-busy={groups.loading}>
      <h2 id={titleId} className="card__title">
        Groups
      </h2>
      <AdminLoadError failure={groups.failure} />
      <form className="inline-form" onSubmit={create}>
        <label htmlFor={nameId} className="form__label">
          New group
        </label>
        <input
          id={nameId}
          className="form__input"
          required
          maxLength={256}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="button button--ghost">
          Create
        </button>
      </form>
      <ErrorAlert message={error} />
      <div className="split">
        <ul className="list" aria-label="Groups">
          {(groups.data ?? []).map((g) => (
            <li key={g.id} className="list__row">
              <button
                type="button"
                className="button button--link"
                aria-pressed={g.id === selected}
                onClick={() => setSelected(g.id)}
              >
                {g.displayName}
              </button>
            </li>
          ))}
          {groups.data?.length === 0 && <li className="list__row muted">No groups yet.</li>}
        </ul>
        {current !== undefined && (
          <Members
            key={current.id}
            group={current}
            onDeleted={() => {
              setSelected(undefined);
              groups.reload();
            }}
          />
        )}
      </div>
    </section>
  );
}
