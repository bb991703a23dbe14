/**
 * Self-service MFA for the signed-in user (`/api/v1/me/authentication/...`): which methods are
 * registered, TOTP enrolment, removal and new recovery codes. Removal and new codes ask for a
 * current code (TOTP or recovery), so a stolen session alone cannot take the factor away or read
 * fresh codes. Secrets and codes in responses are never cached (`cache-control: no-store`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { DirectoryReader } from '../../directory/directory.types.ts';
import { AppError, forbidden, unauthenticated } from '../../platform/errors/app-error.ts';
import type { CodeGuarded, MfaManagement } from './mfa-management.ts';

export interface MfaRoutesDeps {
  readonly management: MfaManagement;
  readonly reader: Pick<DirectoryReader, 'getUser'>;
}

const BASE = '/api/v1/me/authentication';
const TotpCode = Type.String({ pattern: '^[0-9]{6}$', maxLength: 6 });
/** A current TOTP code or an unused recovery code. */
const AnyCode = Type.String({
  pattern: '^([0-9]{6}|[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})$',
  maxLength: 14,
});
const CodeBody = (code: typeof AnyCode) => Type.Object({ code }, { additionalProperties: false });

const Methods = Type.Object(
  {
    totp: Type.Object(
      {
        enrolled: Type.Boolean(),
        /** An enrolment was started and not confirmed. */
        pending: Type.Boolean(),
        confirmedAt: Type.Union([Type.String(), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    recoveryCodesRemaining: Type.Integer(),
  },
  { additionalProperties: false },
);
const Enrolment = Type.Object(
  { secret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String() },
  { additionalProperties: false },
);
const RecoveryCodes = Type.Object(
  { recoveryCodes: Type.Array(Type.String()) },
  { additionalProperties: false },
);

/** The signed-in user; apps, bots and partners have no authentication methods of their own. */
function signedInUser(request: FastifyRequest): { userId: string; tenantId: string } {
  const principal = request.principal;
  if (principal === undefined) throw unauthenticated();
  if (principal.kind !== 'user' || principal.tenantId === undefined)
    throw forbidden('Only a signed-in user can manage their own sign-in methods.');
  return { userId: principal.id, tenantId: principal.tenantId };
}

function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}

/** The value of a code-guarded change, or the refusal as an error with a stable code. */
function unwrap<T>(result: CodeGuarded<T>): T {
  if (result.kind === 'ok') return result.value;
  if (result.code === 'signin_throttled')
    throw new AppError('signin_throttled', 429, 'Too many attempts. Wait a moment and try again.', {
      headers: { 'retry-after': String(result.retryAfterSec ?? 1) },
    });
  return invalidCode();
}

function invalidCode(): never {
  throw new AppError('invalid_code', 400, 'The code is not correct.');
}

export function registerMfaRoutes(app: FastifyInstance, deps: MfaRoutesDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { management } = deps;

  r.get(`${BASE}/methods`, { schema: { response: { 200: Methods } } }, async (request, reply) => {
    const { userId } = signedInUser(request);
    const methods = await management.authenticationMethods(userId);
    noStore(reply);
    return {
      totp: {
        enrolled: methods.totpEnrolled,
        pending: methods.totpPending,
        confirmedAt:
          methods.totpConfirmedAt === null ? null : new Date(methods.totpConfirmedAt).toISOString(),
      },
      recoveryCodesRemaining: methods.recoveryCodesRemaining,
    };
  });

  r.post(`${BASE}/totp/begin`, { schema: { response: { 200: Enrolment } } }, async (request, reply) => {
    const { userId, tenantId } = signedInUser(request);
    const user = await deps.reader.getUser(tenantId, userId);
    if (user === undefined) throw unauthenticated();
    const enrolment = await management.beginTotpEnrolment(userId, user.userPrincipalName);
    noStore(reply);
    return enrolment;
  });

  r.post(
    `${BASE}/totp/confirm`,
    { schema: { body: CodeBody(TotpCode), response: { 200: RecoveryCodes } } },
    async (request, reply) => {
      const { userId } = signedInUser(request);
      const codes = await management.confirmTotpEnrolment(userId, request.body.code, request.ip);
      if (codes === undefined) invalidCode();
      noStore(reply);
      return { recoveryCodes: [...codes] };
    },
  );

  r.delete(
    `${BASE}/totp`,
    { schema: { body: CodeBody(AnyCode), response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { userId } = signedInUser(request);
      unwrap(await management.removeTotp({ userId, code: request.body.code, ip: request.ip }));
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${BASE}/recovery-codes`,
    { schema: { body: CodeBody(AnyCode), response: { 200: RecoveryCodes } } },
    async (request, reply) => {
      const { userId } = signedInUser(request);
      const codes = unwrap(
        await management.regenerateRecoveryCodes({ userId, code: request.body.code, ip: request.ip }),
      );
      noStore(reply);
      return { recoveryCodes: [...codes] };
    },
  );
}
