/** Normalising what people type as one-time codes, before it is sent. */

/** Six digits, spaces and dashes removed (apps often show `123 456`); undefined when not that. */
export function normaliseTotp(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^[0-9]{6}$/.test(digits) ? digits : undefined;
}

/** A recovery code as the server writes it, `xxxx-xxxx-xxxx` in lower case; undefined when not that. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '').toLowerCase();
  if (!/^[a-z0-9]{12}$/.test(compact)) return undefined;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}
