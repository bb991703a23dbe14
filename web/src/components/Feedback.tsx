/** Feedback lines: errors announced at once (role=alert), and quieter confirmations (role=status). */
import type { ReactNode } from 'react';

/** An error; renders nothing without a message. */
export function ErrorAlert({
  message,
  children,
}: {
  readonly message: string | undefined;
  readonly children?: ReactNode;
}) {
  if (message === undefined) return null;
  return (
    <div className="alert" role="alert">
      <p>{message}</p>
      {children}
    </div>
  );
}

/** A confirmation or note; renders nothing without a message. */
export function Notice({ message }: { readonly message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p className="notice" role="status">
      {message}
    </p>
  );
}
