/** Licences: the catalogue with the organisation's seats and how many are assigned. */
import { useId, useState } from 'react';
import { listLicences, setSeats, type TenantSku } from '../../api/admin/licences.ts';
import { useResource } from '../../api/use-resource.ts';
import { ErrorAlert, Notice } from '../../components/Feedback.tsx';
import { AdminLoadError, adminErrorMessage } from './admin-errors.tsx';

function SeatsForm({
  sku,
  onSaved,
}: {
  readonly sku: TenantSku;
  readonly onSaved: (message: string) => void;
}) {
  const inputId = useId();
  const [seats, setValue] = useState(String(sku.seats));
  const [error, setError] = useState<string | undefined>(undefined);
  const save = () => {
    const n = Number(seats);
    if (!Number.isInteger(n) || n < 0) {
      setError('Enter a whole number of seats.');
      return;
    }
    setError(undefined);
    setSeats(sku.skuId, n).then(
      () => onSaved(`${sku.displayName}: ${n} seats.`),
      (err: unknown) => setError(adminErrorMessage(err)),
    );
  };
  return (
    <div className="inline-form">
      <label htmlFor={inputId} className="visually-hidden">
        Seats of {sku.displayName}
      </label>
      <input
        id={inputId}
        className="form__input form__input--narrow"
        type="number"
        min={0}
        inputMode="numeric"
        value={seats}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="button" className="button button--ghost" onClick={save}>
        Save
      </button>
      <ErrorAlert message={error} />
    </div>
  );
}

/** The licences table. */
export function LicencesSection() {
  const skus = useResource(listLicences, 'licences');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId} aria-busy={skus.loading}>
      <h2 id={titleId} className="card__title">
        Licences
      </h2>
      <p className="card__subtitle">Assign licences to people from their page under Users.</p>
      <Notice message={notice} />
      <AdminLoadError failure={skus.failure} />
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Licence</th>
              <th scope="col">Assigned</th>
              <th scope="col">Seats</th>
            </tr>
          </thead>
          <tbody>
            {(skus.data ?? []).map((sku) => (
              <tr key={sku.skuId}>
                <td>
                  <strong>{sku.displayName}</strong>
                  <br />
                  <span className="muted">{sku.description}</span>
                </td>
                <td>
                  {sku.assigned} of {sku.seats}
                </td>
                <td>
                  <SeatsForm
                    sku={sku}
                    onSaved={(message) => {
                      setNotice(message);
                      skus.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
