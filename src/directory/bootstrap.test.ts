import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachEngine, testLogger } from '../../test/harness/engines.ts';
import { fastHasher, recordingAudit } from '../../test/factories/directory.ts';
import type { Config } from '../config/config.ts';
import { createSecretHasher } from '../identity/credentials/secret-hasher.ts';
import { migrateToLatest } from '../platform/db/migrator.ts';
import type { Database } from '../platform/db/database.ts';
import { MemoryEventBus } from '../platform/events/memory-bus.ts';
import { Outbox } from '../platform/events/outbox.ts';
import { capturingLogger } from '../platform/events/test-support.ts';
import { bootstrapDirectory, generateInitialPassword } from './bootstrap.ts';
import { createDirectoryReader } from './directory.reader.ts';
import { SKU_CATALOGUE } from './licences.ts';

const config: Pick<Config, 'identity' | 'publicUrl' | 'port'> = {
  publicUrl: 'https://chat.example.org',
  port: 443,
  identity: {
    bootstrapDomain: 'example.org',
    bootstrapOrganization: 'Example Org',
    accessTokenTtlSec: 3600,
    refreshTokenTtlSec: 86400,
    signingKeyRotationDays: 30,
  },
};

function depsFor(database: Database) {
  const { logger, lines } = capturingLogger();
  const printed: string[] = [];
  const audit = recordingAudit();
  const outbox = new Outbox(database, new MemoryEventBus({ logger: testLogger() }), logger, 'bootstrap-test');
  return {
    deps: {
      database,
      outbox,
      logger,
      config,
      audit,
      hasher: fastHasher,
      print: (t: string) => printed.push(t),
    },
    lines,
    printed,
    audit,
  };
}

it('makes 20-character passwords from an unambiguous alphabet', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const password = generateInitialPassword();
    assert.match(password, /^[A-HJ-NP-Za-km-z2-9]{20}$/);
    seen.add(password);
  }
  assert.equal(seen.size, 200);
});

forEachEngine('directory bootstrap', (ctx) => {
  it('creates the first tenant and administrator once and prints the password once, never logging it', async () => {
    const { config: dbConfig, open } = await ctx.fresh();
    assert.ok(dbConfig);
    const database = await open();
    await migrateToLatest(database, testLogger());
    const first = depsFor(database);
    const result = await bootstrapDirectory(first.deps);
    assert.equal(result.created, true);
    assert.equal(first.printed.length, 1);
    const text = first.printed[0] ?? '';
    const password = /Password:\s+(\S+)/.exec(text)?.[1] ?? '';
    assert.equal(password.length, 20);
    assert.ok(text.includes('https://chat.example.org'));
    assert.ok(text.includes('admin@example.org'));
    assert.match(text, /change it after signing in/);
    assert.ok(!JSON.stringify(first.lines).includes(password), 'the password reached the log');
    assert.ok(!JSON.stringify(first.lines).includes('admin@example.org'), 'the UPN reached the log');
    assert.ok(!JSON.stringify(first.audit.entries).includes(password), 'the password reached the audit log');

    const reader = createDirectoryReader(database);
    const tenant = await reader.resolveTenant('example.org');
    assert.equal(tenant?.displayName, 'Example Org');
    const admin = await reader.findUserByUpn('admin@example.org');
    assert.ok(admin && result.created);
    assert.equal(admin.id, result.adminUserId);
    assert.deepEqual(await reader.adminRoles(tenant.id, admin.id), ['globalAdministrator']);
    assert.deepEqual([...(await reader.licences(admin.id))].sort(), SKU_CATALOGUE.map((s) => s.skuId).sort());
    const row = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', admin.id)
      .executeTakeFirst();
    assert.equal(await createSecretHasher().verify(row?.password_hash ?? '', password), true);
    assert.ok(first.audit.entries.some((e) => e.action === 'tenant.created' && e.actor.type === 'system'));

    const second = depsFor(database);
    assert.deepEqual(await bootstrapDirectory(second.deps), { created: false, tenantId: tenant.id });
    assert.equal(second.printed.length, 0);
    const count = await database.db
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    assert.equal(Number(count?.n), 1);
  });

  it('is safe when two nodes start together: one creates, the other does nothing', async () => {
    const { open } = await ctx.fresh();
    const a = await open();
    const b = await open();
    await migrateToLatest(a, testLogger());
    const nodeA = depsFor(a);
    const nodeB = depsFor(b);
    const results = await Promise.all([bootstrapDirectory(nodeA.deps), bootstrapDirectory(nodeB.deps)]);
    assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
    assert.equal(nodeA.printed.length + nodeB.printed.length, 1);
    assert.equal(results[0].tenantId, results[1].tenantId);
    const tenants = await a.db.selectFrom('tenants').select('id').execute();
    const users = await a.db.selectFrom('users').select('id').execute();
    assert.equal(tenants.length, 1);
    assert.equal(users.length, 1);
  });

  it('refuses an invalid bootstrap domain before writing anything', async () => {
    const { open } = await ctx.fresh();
    const database = await open();
    await migrateToLatest(database, testLogger());
    const node = depsFor(database);
    await assert.rejects(
      bootstrapDirectory({
        ...node.deps,
        config: { ...config, identity: { ...config.identity, bootstrapDomain: 'bad domain' } },
      }),
    );
    assert.equal((await database.db.selectFrom('tenants').select('id').execute()).length, 0);
    assert.equal(node.printed.length, 0);
  });
});
