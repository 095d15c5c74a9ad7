import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key is `<prefix>.<secret>`, as Hopsworks issues them: the prefix (12 random bytes) finds the stored row, the
 * secret (32 random bytes) proves possession. Only sha256(secret) is stored: with 256 bits of randomness there is
 * nothing for a salt or a slow hash to protect, and a lookup costs one hash instead of a key-stretching run.
 */
export interface IssuedApiKey {
  /** The whole key, shown to its owner once. */
  key: string;
  prefix: string;
  secretHash: Buffer;
}

const KEY_FORMAT = /^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

export function issueApiKey(): IssuedApiKey {
  const prefix = randomBytes(12).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { key: `${prefix}.${secret}`, prefix, secretHash: hashSecret(secret) };
}

/** The two parts of a well-formed key; undefined for anything else (which then matches no key). */
export function splitApiKey(key: string): { prefix: string; secret: string } | undefined {
  const match = KEY_FORMAT.exec(key);
  return match === null ? undefined : { prefix: match[1]!, secret: match[2]! };
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Compares in constant time, so response times do not reveal how much of a guessed secret was right. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const hash = hashSecret(secret);
  return storedHash.length === hash.length && timingSafeEqual(hash, storedHash);
}
