/** What the audit log stores for hostile, secret-bearing or malformed input (no database needed). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  detailsJson,
  isSecretKey,
  looksLikeOpaqueCredential,
  neutralise,
  sanitiseEntry,
} from './audit-sanitise.ts';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.MEUCIQDx4Yq7n3fHk2s9P0aQ';

describe('audit sanitising', () => {
  it('escapes CR, LF, tab, NUL, DEL, C1 controls, ESC sequences and Unicode separators visibly', () => {
    assert.equal(neutralise('a\r\nb\tc', 100), 'a\\r\\nb\\tc');
    assert.equal(neutralise('\u001b[31mred\u001b[0m', 100), '\\u001b[31mred\\u001b[0m');
    assert.equal(neutralise('\u009b2J\u007f\u0000', 100), '\\u009b2J\\u007f\\u0000');
    assert.equal(neutralise('x\u2028y\u2029z', 100), 'x\\u2028y\\u2029z');
    assert.equal(neutralise('admin\u202e\u2066txt.exe', 100), 'admin\\u202e\\u2066txt.exe');
    assert.equal(neutralise('plain text, ünïcödé and 😀 stay', 100), 'plain text, ünïcödé and 😀 stay');
  });

  it('caps length after escaping and never leaves half a surrogate pair', () => {
    assert.equal(neutralise('x'.repeat(50), 10), `${'x'.repeat(9)}…`);
    assert.equal(neutralise('\n'.repeat(50), 10).length, 10);
    const cut = neutralise(`${'x'.repeat(8)}😀😀`, 10);
    assert.equal(cut.isWellFormed(), true);
    assert.equal(neutralise('a\uDC00b', 10), 'a\uFFFDb');
  });

  it('cuts JWTs, bearer and basic credentials, URL passwords and secret query parameters out of text', () => {
    assert.equal(neutralise(`token ${JWT} seen`, 200), 'token [redacted] seen');
    assert.equal(
      neutralise('eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn', 200),
      '[redacted]',
      'JWE, five segments',
    );
    assert.equal(neutralise('Authorization: Bearer abc.def-ghi', 200), 'Authorization: Bearer [redacted]');
    assert.equal(neutralise('basic dXNlcjpwYXNz', 200), 'basic [redacted]');
    assert.equal(neutralise('redis://:hunter2@cache:6379', 200), 'redis://[redacted]@cache:6379');
    assert.equal(
      neutralise('/cb?code=abc&state=s1&access_token=t&api_key=k&sig=z&id=7', 200),
      '/cb?code=[redacted]&state=s1&access_token=[redacted]&api_key=[redacted]&sig=[redacted]&id=7',
    );
    // A token cut off by the input bound is still recognised.
    assert.equal(
      neutralise(`${'x '.repeat(4090)}eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOi${'A'.repeat(500)}`, 9000).endsWith(
        '[redacted]',
      ),
      true,
    );
    // Not JWTs: host names, versions, dotted action names.
    for (const text of ['login.contoso.example', '1.2.3', 'signin.password.failed', 'a.b.c'])
      assert.equal(neutralise(text, 100), text);
  });

  it('knows which detail keys name credentials', () => {
    for (const key of [
      'password',
      'newPassword',
      'PASSWD',
      'client_secret',
      'accessToken',
      'refresh_token',
      'id_token_hint',
      'code',
      'authCode',
      'recoveryCodes',
      'user-code',
      'otp',
      'pin',
      'authorization',
      'Cookie',
      'setCookie',
      'clientAssertion',
      'credentials',
      'apiKey',
      'privateKey',
      'jwt',
      'signature',
    ])
      assert.equal(isSecretKey(key), true, key);
    for (const key of [
      'userId',
      'skuId',
      'role',
      'fields',
      'method',
      'route',
      'encoded',
      'opinion',
      'kid',
      'scopes',
    ])
      assert.equal(isSecretKey(key), false, key);
  });

  it('recognises opaque credentials but keeps UUIDs, hex digests and words', () => {
    assert.equal(looksLikeOpaqueCredential('Q8x~aZ3kR9mW2pL7vN4tY6cB1dF5gH0jK'), true);
    assert.equal(looksLikeOpaqueCredential('dGhpcyBpcyBhIHJhbmRvbSB0b2tlbjEyMw'), true);
    assert.equal(looksLikeOpaqueCredential('0f8fad5b-d9cb-469f-a165-70867728950e'), false);
    assert.equal(looksLikeOpaqueCredential('A3F1C2D4E5B6A7980A1B2C3D4E5F60718293A4B5'), false);
    assert.equal(looksLikeOpaqueCredential('short1Aa'), false);
    assert.equal(looksLikeOpaqueCredential('A sentence with 32 or more chars, 1 digit'), false);
  });

  it('writes details as sorted JSON, redacting by key and by value, dropping keys past the cap', () => {
    assert.equal(
      detailsJson({ zeta: 1, alpha: 'a', password: 'p', hasPassword: false, pin: 1234, none: null }),
      '{"alpha":"a","hasPassword":false,"none":null,"password":"[redacted]","pin":"[redacted]","zeta":1}',
    );
    assert.equal(detailsJson({}), null);
    assert.equal(detailsJson(null), null);
    assert.equal(detailsJson({ gone: undefined }), null);
    assert.equal(detailsJson({ ['k'.repeat(300)]: 'v' }), `{"${'k'.repeat(63)}…":"[redacted]"}`);
    const many = JSON.parse(
      detailsJson(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))) ?? '{}',
    ) as Record<string, unknown>;
    assert.equal(Object.keys(many).length, 33);
    assert.equal(many['droppedKeys'], 8);
  });

  it('maps an entry to stored fields, treating anything but success as a failure', () => {
    const fields = sanitiseEntry(
      {
        tenantId: 'tid',
        actor: { type: 'user', id: 'uid' },
        sourceIp: '2001:db8::1',
        action: 'mfa.totp',
        outcome: 'nope' as 'success',
      },
      1234,
    );
    assert.deepEqual(fields, {
      occurred_at: 1234,
      tenant_id: 'tid',
      actor_type: 'user',
      actor_id: 'uid',
      source_ip: '2001:db8::1',
      action: 'mfa.totp',
      target_type: null,
      target_id: null,
      outcome: 'failure',
      reason: null,
      details: null,
    });
  });
});
