/**
 * The installation secret: the root from which Parley derives the keys that seal data at rest
 * (signing keys, MFA secrets) and sign cookies. Taken from PARLEY_SECRET_KEY, or created once in
 * the data directory with mode 0600 so that `npm start` is secure with no configuration.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface InstallationSecret {
  /** A 32-byte key for one purpose, derived with HKDF-SHA256 (RFC 5869); stable across restarts. */
  derive(purpose: string): Buffer;
}

const MIN_BYTES = 32;

export async function loadInstallationSecret(
  secretKey: string | undefined,
  dataDir: string,
): Promise<InstallationSecret> {
  const root = secretKey !== undefined ? decode(secretKey) : await readOrCreate(join(dataDir, 'secret.key'));
  if (root.length < MIN_BYTES) throw new Error(`the installation secret must be at least ${MIN_BYTES} bytes`);
  return {
    derive: (purpose) => Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `parley:${purpose}`, 32)),
  };
}

function decode(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

async function readOrCreate(file: string): Promise<Buffer> {
  try {
    return decode((await readFile(file, 'utf8')).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(MIN_BYTES);
  try {
    // 'wx': never overwrite a secret another process created a moment ago.
    await writeFile(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return decode((await readFile(file, 'utf8')).trim());
    throw error;
  }
  await chmod(file, 0o600);
  return secret;
}
