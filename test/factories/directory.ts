/**
 * Test data for the directory: tenants with an administrator, users, groups and app
 * registrations, built through the directory's own services so every rule (verified domains,
 * password rules, seats) holds. Each returns the records and any password or secret it made.
 *
 * Passwords are hashed with a cheap scrypt cost so suites stay fast; the stored string names
 * its parameters, so the production hasher verifies them all the same.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry, AuditLog } from '../../src/audit/audit.types.ts';
import type { AppRegistration, AppSecretInfo } from '../../src/directory/apps.types.ts';
import type { NewAppInput } from '../../src/directory/app.service.ts';
import { createDirectory, type Directory } from '../../src/directory/directory.ts';
import type { AdminRole, Group, Tenant, User } from '../../src/directory/directory.types.ts';
import { SKU_CATALOGUE } from '../../src/directory/licences.ts';
import { SYSTEM_ACTOR } from '../../src/directory/service-support.ts';
import type { NewUserInput } from '../../src/directory/user.rules.ts';
import { createSecretHasher } from '../../src/identity/credentials/secret-hasher.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { MemoryEventBus } from '../../src/platform/events/memory-bus.ts';
import { Outbox } from '../../src/platform/events/outbox.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { testLogger, type EngineContext } from '../harness/engines.ts';

/** scrypt at N=2^10: fast for tests, verified by the production hasher as well. */
export const fastHasher = createSecretHasher({ N: 2 ** 10, r: 8, p: 1 });

/** An AuditLog that keeps what it is given, for assertions. */
export interface RecordingAudit extends AuditLog {
  readonly entries: AuditEntry[];
}

export function recordingAudit(): RecordingAudit {
  const entries: AuditEntry[] = [];
  return {
    entries,
    record(entry) {
      entries.push(entry);
      return Promise.resolve();
    },
  };
}

const directories = new WeakMap<Database, Directory>();

/** A directory over `database` with its own in-memory bus and a recording audit log (cached). */
export function directoryFor(database: Database): Directory {
  let directory = directories.get(database);
  if (directory === undefined) {
    const logger = testLogger();
    const bus = new MemoryEventBus({ logger });
    const outbox = new Outbox(database, bus, logger, 'test-factory');
    directory = createDirectory({ database, outbox, audit: recordingAudit(), logger, hasher: fastHasher });
    directories.set(database, directory);
  }
  return directory;
}

/** A password that meets the rules. */
export function randomPassword(): string {
  return `Pw-${randomBytes(12).toString('base64url')}`;
}

/** A domain no other test uses. */
export function randomDomain(): string {
  return `t${randomBytes(5).toString('hex')}.test`;
}

export interface TenantWithAdmin {
  readonly tenant: Tenant;
  readonly domain: string;
  readonly admin: User;
  /** The administrator's password. */
  readonly password: string;
}

/** A tenant with a verified domain and a global administrator holding every licence. */
export async function createTenantWithAdmin(
  database: Database,
  options: { domain?: string; displayName?: string; adminPassword?: string; directory?: Directory } = {},
): Promise<TenantWithAdmin> {
  const directory = options.directory ?? directoryFor(database);
  const domain = options.domain ?? randomDomain();
  const tenant = await directory.service.tenants.createTenant(
    { displayName: options.displayName ?? `Tenant ${domain}`, domain },
    SYSTEM_ACTOR,
  );
  const { user, password } = await createUser(database, tenant.id, {
    userPrincipalName: `admin@${domain}`,
    displayName: 'Administrator',
    roles: ['globalAdministrator'],
    licences: SKU_CATALOGUE.map((s) => s.skuId),
    directory,
    ...(options.adminPassword === undefined ? {} : { password: options.adminPassword }),
  });
  if (password === null) throw new Error('the administrator has no password');
  return { tenant, domain, admin: user, password };
}

export interface CreateUserOptions extends Partial<Omit<NewUserInput, 'password'>> {
  /** Defaults to a random valid password; `null` creates the user without one. */
  readonly password?: string | null;
  readonly roles?: readonly AdminRole[];
  readonly licences?: readonly string[];
  readonly directory?: Directory;
}

/** A user in the tenant's default domain (or the UPN given), with optional roles and licences. */
export async function createUser(
  database: Database,
  tenantId: string,
  options: CreateUserOptions = {},
): Promise<{ readonly user: User; readonly password: string | null }> {
  const { roles = [], licences = [], directory: given, password: wanted, ...profile } = options;
  const directory = given ?? directoryFor(database);
  let upn = profile.userPrincipalName;
  if (upn === undefined) {
    const domains = await directory.reader.listDomains(tenantId);
    const domain = domains.find((d) => d.isDefault)?.name ?? domains[0]?.name;
    if (domain === undefined) throw new Error(`tenant ${tenantId} has no domain`);
    upn = `user-${randomBytes(4).toString('hex')}@${domain}`;
  }
  const password = wanted === undefined ? randomPassword() : wanted;
  const input: NewUserInput = {
    ...profile,
    userPrincipalName: upn,
    displayName: profile.displayName ?? upn.split('@')[0] ?? upn,
    ...(password === null ? {} : { password }),
  };
  const created = await directory.service.users.createUser(tenantId, input, SYSTEM_ACTOR);
  for (const role of roles)
    await directory.service.access.assignRole(tenantId, created.id, role, SYSTEM_ACTOR);
  for (const sku of licences)
    await directory.service.access.assignLicence(tenantId, created.id, sku, SYSTEM_ACTOR);
  const user = await directory.reader.getUser(tenantId, created.id);
  if (user === undefined) throw new Error('created user not found');
  return { user, password };
}

/** A group with the given members. */
export async function createGroup(
  database: Database,
  tenantId: string,
  options: {
    displayName?: string;
    description?: string;
    members?: readonly string[];
    directory?: Directory;
  } = {},
): Promise<Group> {
  const directory = options.directory ?? directoryFor(database);
  const group = await directory.service.groups.createGroup(
    tenantId,
    {
      displayName: options.displayName ?? `Group ${randomBytes(3).toString('hex')}`,
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    SYSTEM_ACTOR,
  );
  for (const userId of options.members ?? [])
    await directory.service.groups.addMember(tenantId, group.id, userId, SYSTEM_ACTOR);
  return group;
}

/**
 * An app registration; confidential ones get a client secret unless `withSecret: false`.
 */
export async function createApp(
  database: Database,
  tenantId: string,
  options: Partial<NewAppInput> & { withSecret?: boolean; directory?: Directory } = {},
): Promise<{ readonly app: AppRegistration; readonly secret?: string; readonly secretInfo?: AppSecretInfo }> {
  const { withSecret, directory: given, ...settings } = options;
  const directory = given ?? directoryFor(database);
  const app = await directory.service.apps.createApp(
    tenantId,
    { ...settings, displayName: settings.displayName ?? `App ${randomBytes(3).toString('hex')}` },
    SYSTEM_ACTOR,
  );
  if (app.isPublicClient || withSecret === false) return { app };
  const { secret, info } = await directory.service.appCredentials.addSecret(
    tenantId,
    app.appId,
    { displayName: 'test secret', lifetimeDays: 30 },
    SYSTEM_ACTOR,
  );
  return { app, secret, secretInfo: info };
}

/** A directory over `database` whose events can be observed and whose audit entries are kept. */
export function observedDirectory(
  database: Database,
  options: { now?: () => number } = {},
): { directory: Directory; audit: RecordingAudit; bus: MemoryEventBus; outbox: Outbox } {
  const logger = testLogger();
  const bus = new MemoryEventBus({ logger });
  const outbox = new Outbox(database, bus, logger, 'test-observed');
  const audit = recordingAudit();
  const directory = createDirectory({
    database,
    outbox,
    audit,
    logger,
    hasher: fastHasher,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { directory, audit, bus, outbox };
}

/** Opens the suite's database and brings it to the latest schema. */
export async function openMigrated(ctx: EngineContext): Promise<Database> {
  const database = await ctx.open();
  await migrateToLatest(database, testLogger());
  return database;
}
