/**
 * The sign-in API behind the web client's sign-in page. oidc-provider sends the browser to
 * `/login/{uid}`; the page (a web-client route) calls these endpoints, which sit under the same
 * path so the provider's path-scoped, signed interaction cookie comes along. Steps: password,
 * then a second factor or TOTP enrolment when the user or tenant policy requires it, then the
 * OAuth request resumes. Progress is kept server-side; the browser can skip nothing.
 *
 * CSRF: every POST must be JSON and carry this server's Origin; the cookie is SameSite=Lax.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type Provider from 'oidc-provider';
import type { Database } from '../../platform/db/database.ts';
import type { DirectoryReader } from '../../directory/directory.types.ts';
import { AppError, forbidden } from '../../platform/errors/app-error.ts';
import type { TenantProviders } from './tenant-providers.ts';
import type { SignInSteps } from './sign-in-steps.ts';
import { SignInProgressStore, type SignInProgress } from './sign-in-progress.ts';
import { completeSignIn, denySignIn } from './interaction-result.ts';
import { tenantOfArtifact } from './oidc-adapter.ts';
import type { OidcDirectory } from './oidc-directory.ts';

const PUBLIC = { public: true } as const;
const Uid = Type.Object(
  { uid: Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }) },
  { additionalProperties: false },
);
const Code = Type.String({ pattern: '^([0-9]{6}|[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})$' });
const Next = Type.Object({
  next: Type.Union([Type.Literal('mfa'), Type.Literal('mfa_enrolment'), Type.Literal('done')]),
  redirectTo: Type.Optional(Type.String()),
  recoveryCodes: Type.Optional(Type.Array(Type.String())),
});

export interface InteractionRoutesDeps {
  readonly providers: TenantProviders;
  readonly database: Database;
  readonly reader: DirectoryReader;
  readonly directory: OidcDirectory;
  readonly steps: SignInSteps;
  readonly origin: () => string;
}

export function registerInteractionRoutes(app: FastifyInstance, deps: InteractionRoutesDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const progress = new SignInProgressStore(deps.database);

  /** Finds the interaction's tenant and provider, and checks the cookie matches (interactionDetails). */
  const open = async (request: FastifyRequest, reply: FastifyReply, uid: string) => {
    if (request.method === 'POST' && request.headers.origin !== deps.origin())
      throw forbidden('Cross-origin sign-in requests are refused.');
    const tenantId = await tenantOfArtifact(deps.database, 'Interaction', uid);
    if (tenantId === undefined) throw expired();
    const provider = await deps.providers.forTenant(tenantId);
    let details;
    try {
      details = await provider.interactionDetails(request.raw, reply.raw);
    } catch {
      throw expired();
    }
    if (details.uid !== uid) throw expired();
    return { tenantId, provider, details };
  };

  const finish = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: { tenantId: string; provider: Provider; uid: string },
    state: SignInProgress,
  ) => {
    const redirectTo = await completeSignIn(ctx.provider, request, reply, {
      tenantId: ctx.tenantId,
      userId: state.userId,
      amr: state.amr,
      directory: deps.directory,
    });
    await progress.remove(ctx.tenantId, ctx.uid);
    return { next: 'done' as const, redirectTo };
  };

  r.get(
    '/login/:uid/state',
    {
      config: PUBLIC,
      schema: {
        params: Uid,
        response: {
          200: Type.Object({
            application: Type.String(),
            organization: Type.String(),
            loginHint: Type.Optional(Type.String()),
            step: Type.Union([
              Type.Literal('password'),
              Type.Literal('mfa'),
              Type.Literal('mfa_enrolment'),
              Type.Literal('consent'),
            ]),
          }),
        },
      },
    },
    async (request, reply) => {
      const { tenantId, details } = await open(request, reply, request.params.uid);
      const clientId = String(details.params.client_id);
      const client = await deps.directory.findClient(clientId);
      const tenant = await deps.reader.getTenant(tenantId);
      const state = await progress.get(tenantId, request.params.uid);
      const hint = details.params.login_hint;
      const step =
        details.prompt.name === 'consent' && details.session?.accountId !== undefined
          ? ('consent' as const)
          : state === undefined || state.pending === 'none'
            ? ('password' as const)
            : state.pending === 'mfa'
              ? ('mfa' as const)
              : ('mfa_enrolment' as const);
      return {
        application: client?.displayName ?? 'Application',
        organization: tenant?.displayName ?? '',
        ...(typeof hint === 'string' && hint.length <= 256 ? { loginHint: hint } : {}),
        step,
      };
    },
  );

  r.post(
    '/login/:uid/password',
    {
      config: PUBLIC,
      schema: {
        params: Uid,
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 256 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Next },
      },
    },
    async (request, reply) => {
      const uid = request.params.uid;
      const { tenantId, provider, details } = await open(request, reply, uid);
      const outcome = await deps.steps.verifyPassword({
        upn: request.body.username.trim().toLowerCase(),
        password: request.body.password,
        tenantId,
        ip: request.ip,
      });
      if (outcome.kind === 'failed') throw signInError(outcome.code, outcome.retryAfterSec);
      const pending: SignInProgress['pending'] =
        outcome.mfa === 'none' ? 'none' : outcome.mfa === 'required' ? 'mfa' : 'mfa_enrolment';
      const state: SignInProgress = {
        userId: outcome.userId,
        upn: request.body.username.trim().toLowerCase(),
        pending,
        amr: ['pwd'],
      };
      if (pending === 'none') return finish(request, reply, { tenantId, provider, uid }, state);
      await progress.put(tenantId, uid, state, details.exp * 1000);
      return { next: pending === 'mfa' ? ('mfa' as const) : ('mfa_enrolment' as const) };
    },
  );

  r.post(
    '/login/:uid/mfa',
    {
      config: PUBLIC,
      schema: {
        params: Uid,
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: Next },
      },
    },
    async (request, reply) => {
      const uid = request.params.uid;
      const { tenantId, provider } = await open(request, reply, uid);
      const state = await progress.get(tenantId, uid);
      if (state?.pending !== 'mfa') throw stepOutOfOrder();
      const outcome = await deps.steps.verifySecondFactor({
        userId: state.userId,
        code: request.body.code,
        ip: request.ip,
      });
      if (outcome.kind === 'failed') throw signInError(outcome.code, outcome.retryAfterSec);
      return finish(
        request,
        reply,
        { tenantId, provider, uid },
        { ...state, pending: 'none', amr: ['pwd', 'mfa', 'otp'] },
      );
    },
  );

  r.post(
    '/login/:uid/mfa/enrolment',
    {
      config: PUBLIC,
      schema: {
        params: Uid,
        response: {
          200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      const uid = request.params.uid;
      const { tenantId } = await open(request, reply, uid);
      const state = await progress.get(tenantId, uid);
      if (state?.pending !== 'mfa_enrolment') throw stepOutOfOrder();
      return deps.steps.beginTotpEnrolment(state.userId, state.upn);
    },
  );

  r.post(
    '/login/:uid/mfa/enrolment/confirm',
    {
      config: PUBLIC,
      schema: {
        params: Uid,
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
        response: { 200: Next },
      },
    },
    async (request, reply) => {
      const uid = request.params.uid;
      const { tenantId, provider } = await open(request, reply, uid);
      const state = await progress.get(tenantId, uid);
      if (state?.pending !== 'mfa_enrolment') throw stepOutOfOrder();
      const recoveryCodes = await deps.steps.confirmTotpEnrolment(state.userId, request.body.code);
      if (recoveryCodes === undefined) throw signInError('invalid_code', undefined);
      const done = await finish(
        request,
        reply,
        { tenantId, provider, uid },
        { ...state, pending: 'none', amr: ['pwd', 'mfa', 'otp'] },
      );
      return { ...done, recoveryCodes: [...recoveryCodes] };
    },
  );

  r.post(
    '/login/:uid/consent',
    { config: PUBLIC, schema: { params: Uid, response: { 200: Next } } },
    async (request, reply) => {
      const uid = request.params.uid;
      const { tenantId, provider, details } = await open(request, reply, uid);
      const accountId = details.session?.accountId;
      if (details.prompt.name !== 'consent' || accountId === undefined) throw stepOutOfOrder();
      const redirectTo = await completeSignIn(provider, request, reply, {
        tenantId,
        userId: accountId,
        amr: undefined,
        directory: deps.directory,
      });
      return { next: 'done' as const, redirectTo };
    },
  );

  r.post(
    '/login/:uid/abort',
    { config: PUBLIC, schema: { params: Uid, response: { 200: Next } } },
    async (request, reply) => {
      const uid = request.params.uid;
      const { tenantId, provider } = await open(request, reply, uid);
      await progress.remove(tenantId, uid);
      const redirectTo = await denySignIn(
        provider,
        request,
        reply,
        'access_denied',
        'The user cancelled the sign-in.',
      );
      return { next: 'done' as const, redirectTo };
    },
  );
}

function expired(): AppError {
  return new AppError(
    'signin_expired',
    404,
    'This sign-in has expired or is not valid. Start again from the application.',
  );
}

function stepOutOfOrder(): AppError {
  return new AppError('step_out_of_order', 409, 'That sign-in step is not expected now.');
}

const SIGN_IN_ERRORS = {
  invalid_credentials: { status: 400, message: 'The username or password is incorrect.' },
  invalid_code: { status: 400, message: 'The code is not correct.' },
  network_not_allowed: {
    status: 403,
    message: 'Sign-in from this network is not allowed by your organization.',
  },
  signin_throttled: { status: 429, message: 'Too many attempts. Wait a moment and try again.' },
} as const;

function signInError(code: string, retryAfterSec: number | undefined): AppError {
  const known = code in SIGN_IN_ERRORS ? (code as keyof typeof SIGN_IN_ERRORS) : 'invalid_credentials';
  const { status, message } = SIGN_IN_ERRORS[known];
  return new AppError(known, status, message, {
    ...(retryAfterSec !== undefined ? { headers: { 'retry-after': String(Math.ceil(retryAfterSec)) } } : {}),
  });
}
