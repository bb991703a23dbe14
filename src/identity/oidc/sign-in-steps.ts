/**
 * The sign-in steps the interaction routes drive, as one interface: the credentials layer
 * (identity/signin) implements them; the routes only sequence them and finish the OAuth request.
 */

export type PasswordOutcome =
  | {
      readonly kind: 'ok';
      readonly userId: string;
      readonly tenantId: string;
      readonly mfa: 'none' | 'required' | 'enrolment_required';
    }
  | { readonly kind: 'failed'; readonly code: string; readonly retryAfterSec?: number };

export type SecondFactorOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'failed'; readonly code: string; readonly retryAfterSec?: number };

export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUri: string;
  readonly qrSvg: string;
}

export interface SignInSteps {
  verifyPassword(input: {
    readonly upn: string;
    readonly password: string;
    readonly tenantId: string;
    readonly ip: string;
  }): Promise<PasswordOutcome>;
  verifySecondFactor(input: {
    readonly userId: string;
    readonly code: string;
    readonly ip: string;
  }): Promise<SecondFactorOutcome>;
  beginTotpEnrolment(userId: string, accountName: string): Promise<TotpEnrolment>;
  /** Confirms enrolment with a first code; returns the recovery codes (shown once) or undefined. */
  confirmTotpEnrolment(userId: string, code: string): Promise<readonly string[] | undefined>;
}
