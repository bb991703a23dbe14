/** Assertions shared by the directory's tests (not used by production code). */
import assert from 'node:assert/strict';
import { AppError } from '../platform/errors/app-error.ts';

/** Asserts that `promise` rejects with an AppError of this code. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}
