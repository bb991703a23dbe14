import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeAddress, subnetKey } from './client-address.ts';

void describe('normalizeAddress', () => {
  void it('keeps IPv4 dotted decimal as it is', () => {
    assert.equal(normalizeAddress('203.0.113.7'), '203.0.113.7');
    assert.equal(normalizeAddress('0.0.0.0'), '0.0.0.0');
    assert.equal(normalizeAddress('255.255.255.255'), '255.255.255.255');
  });

  void it('maps IPv4-mapped IPv6 to IPv4 in every spelling', () => {
    for (const mapped of [
      '::ffff:203.0.113.7',
      '::FFFF:203.0.113.7',
      '0:0:0:0:0:ffff:203.0.113.7',
      '::ffff:cb00:7107',
    ]) {
      assert.equal(normalizeAddress(mapped), '203.0.113.7', mapped);
    }
    assert.equal(normalizeAddress('::ffff:127.0.0.1'), '127.0.0.1');
  });

  void it('writes IPv6 in RFC 5952 form: lower case, no leading zeros, longest zero run compressed', () => {
    const cases: [string, string][] = [
      ['2001:DB8::1', '2001:db8::1'],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // tie: the first run
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longer run wins
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero field is not compressed
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['1:0:0:0:0:0:0:0', '1::'],
      ['FE80::ABCD:EF01', 'fe80::abcd:ef01'],
      ['2001:db8::192.0.2.1', '2001:db8::c000:201'], // embedded IPv4 outside ::ffff:0:0/96 stays IPv6
      ['::192.0.2.1', '::c000:201'], // deprecated IPv4-compatible form is not IPv4-mapped
    ];
    for (const [input, expected] of cases) assert.equal(normalizeAddress(input), expected, input);
  });

  void it('drops zone ids so one host cannot appear as many', () => {
    assert.equal(normalizeAddress('fe80::1%eth0'), 'fe80::1');
    assert.equal(normalizeAddress('FE80::1%25'), 'fe80::1');
    assert.equal(normalizeAddress('fe80::1%2'), normalizeAddress('fe80::1%3'));
  });

  void it('rejects what is not an address', () => {
    const bad = [
      '',
      'localhost',
      '203.0.113',
      '203.0.113.256',
      '203.000.113.7', // leading zeros: octal in some parsers, so ambiguous
      '203.0.113.7/24',
      ' 203.0.113.7',
      '1.2.3.4%eth0', // zone ids exist only on IPv6
      'fe80::1%', // empty zone
      '2001:db8::1::2',
      '1:2:3:4:5:6:7:8:9',
      '2001:db8::g',
      '[2001:db8::1]',
      '::ffff:999.0.0.1',
    ];
    for (const input of bad) assert.throws(() => normalizeAddress(input), TypeError, JSON.stringify(input));
  });
});

void describe('subnetKey', () => {
  void it('groups IPv4 by /24 and IPv6 by /64', () => {
    assert.equal(subnetKey('203.0.113.7', 24, 64), '203.0.113.0/24');
    assert.equal(subnetKey('203.0.113.255', 24, 64), '203.0.113.0/24');
    assert.equal(subnetKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 24, 64), '2001:db8:1:2::/64');
    assert.equal(subnetKey('2001:DB8:1:2::1', 24, 64), '2001:db8:1:2::/64');
    assert.equal(subnetKey('2001:db8::1', 24, 64), '2001:db8::/64');
  });

  void it('every address of one /24 or /64 gets the same key, the neighbour subnet another', () => {
    const v4 = new Set(Array.from({ length: 256 }, (_, i) => subnetKey(`198.51.100.${i}`, 24, 64)));
    assert.deepEqual([...v4], ['198.51.100.0/24']);
    const v6 = new Set(
      Array.from({ length: 64 }, (_, i) => subnetKey(`2001:db8:5:6:${i.toString(16)}::${i}`, 24, 64)),
    );
    assert.deepEqual([...v6], ['2001:db8:5:6::/64']);
    assert.notEqual(subnetKey('198.51.101.1', 24, 64), '198.51.100.0/24');
    assert.notEqual(subnetKey('2001:db8:5:7::1', 24, 64), '2001:db8:5:6::/64');
  });

  void it('uses the IPv4 prefix for IPv4-mapped IPv6', () => {
    assert.equal(subnetKey('::ffff:203.0.113.7', 24, 64), '203.0.113.0/24');
    assert.equal(subnetKey('::ffff:203.0.113.7', 16, 64), '203.0.0.0/16');
  });

  void it('masks prefixes that do not fall on a field boundary', () => {
    assert.equal(subnetKey('203.0.113.7', 20, 64), '203.0.112.0/20');
    assert.equal(subnetKey('203.0.113.7', 32, 64), '203.0.113.7/32');
    assert.equal(subnetKey('203.0.113.7', 0, 64), '0.0.0.0/0');
    assert.equal(subnetKey('203.0.113.7', 8, 64), '203.0.0.0/8');
    assert.equal(subnetKey('2001:db8:abcd:12ff::1', 24, 56), '2001:db8:abcd:1200::/56');
    assert.equal(subnetKey('2001:db8:abcd:12ff::1', 24, 48), '2001:db8:abcd::/48');
    assert.equal(subnetKey('2001:db8:abcd:12ff::1', 24, 60), '2001:db8:abcd:12f0::/60');
    assert.equal(subnetKey('2001:db8::abcd', 24, 128), '2001:db8::abcd/128');
    assert.equal(subnetKey('2001:db8::abcd', 24, 0), '::/0');
    assert.equal(subnetKey('fe80::1%eth0', 24, 64), 'fe80::/64');
  });

  void it('rejects bad addresses and prefixes', () => {
    assert.throws(() => subnetKey('not-an-ip', 24, 64), TypeError);
    assert.throws(() => subnetKey('203.0.113.7', 33, 64), RangeError);
    assert.throws(() => subnetKey('203.0.113.7', -1, 64), RangeError);
    assert.throws(() => subnetKey('203.0.113.7', 24.5, 64), RangeError);
    assert.throws(() => subnetKey('2001:db8::1', 24, 129), RangeError);
    assert.throws(() => subnetKey('2001:db8::1', 24, Number.NaN), RangeError);
  });
});
