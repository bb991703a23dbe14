/** How the admin centre shows a failed load: a refusal explains the role needed. */
import { ApiError, messageOf } from '../../api/http.ts';
import { ErrorAlert } from '../../components/Feedback.tsx';

/** Text for a failed admin request. */
export function adminErrorMessage(err: unknown): string {
  if (err instanceof ApiError && err.status === 403)
    return 'You need an administrator role for this. Ask a global administrator of your organisation.';
  return messageOf(err);
}

/** The error of a failed admin load, announced. */
export function AdminLoadError({ failure }: { readonly failure: unknown }) {
  if (failure === undefined) return null;
  return <ErrorAlert message={adminErrorMessage(failure)} />;
}
