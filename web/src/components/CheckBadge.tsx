/** A coloured status badge whose meaning is also carried by its text, not by colour alone. */
import type { CheckState } from '../api/status.ts';

const LABELS: Readonly<Record<CheckState, string>> = { ok: 'OK', failing: 'Failing', disabled: 'Not used' };

/** Badge for one dependency check. */
export function CheckBadge({ state }: { readonly state: CheckState }) {
  return (
    <span className={`badge badge--${state}`} data-state={state}>
      {LABELS[state]}
    </span>
  );
}
