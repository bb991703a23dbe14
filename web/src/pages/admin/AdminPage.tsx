/** The admin centre. */
export function AdminPage({
  section,
  id,
}: {
  readonly section: string | undefined;
  readonly id: string | undefined;
}) {
  return (
    <section className="page-head">
      <h1>Admin centre</h1>
      <p>
        {section ?? ''} {id ?? ''}
      </p>
    </section>
  );
}
