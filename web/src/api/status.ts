/**
 * Typed reads of the server's public status endpoints. Responses are parsed from `unknown` and
 * checked field by field, so a proxy's HTML error page or a half-deployed server shows up as an
 * error state instead of as `undefined` in the page.
 */

/** Health of one dependency as reported by `GET /readyz`. */
export type CheckState = 'ok' | 'failing' | 'disabled';

/** Body of `GET /readyz` (200 when ready, 503 when not). */
export interface Readiness {
  readonly status: 'ready' | 'not_ready';
  readonly checks: Readonly<Record<string, CheckState>>;
}

/** Body of `GET /api/v1/status`. */
export interface ServerStatus {
  readonly name: string;
  readonly version: string;
  readonly roles: readonly string[];
  readonly time: string;
}

/** Raised when an endpoint cannot be reached or answers with something unexpected. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CHECK_STATES: readonly string[] = ['ok', 'failing', 'disabled'];

function isCheckState(value: unknown): value is CheckState {
  return typeof value === 'string' && CHECK_STATES.includes(value);
}

/** Validates a `/readyz` body. Exported for tests. */
export function parseReadiness(body: unknown): Readiness {
  if (!isRecord(body) || (body.status !== 'ready' && body.status !== 'not_ready')) {
    throw new StatusError('Unexpected readiness response');
  }
  const rawChecks = body.checks;
  if (!isRecord(rawChecks)) throw new StatusError('Unexpected readiness response');
  const checks: Record<string, CheckState> = {};
  for (const [name, state] of Object.entries(rawChecks)) {
    if (!isCheckState(state)) throw new StatusError(`Unexpected state for check "${name}"`);
    checks[name] = state;
  }
  return { status: body.status, checks };
}

/** Validates a `/api/v1/status` body. Exported for tests. */
export function parseServerStatus(body: unknown): ServerStatus {
  if (
    !isRecord(body) ||
    typeof body.name !== 'string' ||
    typeof body.version !== 'string' ||
    typeof body.time !== 'string' ||
    !Array.isArray(body.roles) ||
    !body.roles.every((r) => typeof r === 'string')
  ) {
    throw new StatusError('Unexpected status response');
  }
  return { name: body.name, version: body.version, roles: body.roles, time: body.time };
}

async function getJson(
  path: string,
  signal: AbortSignal,
  acceptStatuses: readonly number[],
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      signal,
      headers: { accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new StatusError('The server could not be reached');
  }
  if (!response.ok && !acceptStatuses.includes(response.status)) {
    throw new StatusError(`The server answered ${response.status}`);
  }
  try {
    return await response.json();
  } catch {
    throw new StatusError('The server sent an unreadable response');
  }
}

/** Fetches `/readyz`. A 503 still carries the readiness body naming the failing checks. */
export async function fetchReadiness(signal: AbortSignal): Promise<Readiness> {
  return parseReadiness(await getJson('/readyz', signal, [503]));
}

/** Fetches `/api/v1/status`. */
export async function fetchServerStatus(signal: AbortSignal): Promise<ServerStatus> {
  return parseServerStatus(await getJson('/api/v1/status', signal, []));
}
