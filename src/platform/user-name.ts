import { InvalidArgumentError } from '../errors/humle-error.js';
import { FEATURE_STORE_USER } from '../featurestore/project/feature-store-principal.js';

/**
 * Platform user names are humle fs user names too (a member's files are owned by that name), so they keep to the
 * characters HDFS user names use safely: no ':', whitespace or '/', which its `owner:group` forms would split on.
 */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export function checkUserName(name: unknown): string {
  if (typeof name !== 'string' || !USER_NAME.test(name)) {
    throw new InvalidArgumentError('a user name has 1 to 64 letters, digits, _, . or -, and starts with a letter or _', {
      user: typeof name === 'string' ? name.slice(0, 80) : typeof name,
    });
  }
  // The feature store's principal owns every project's feature store: a person by that name would own them too.
  if (name === FEATURE_STORE_USER) throw new InvalidArgumentError(`${name} is a reserved user name (the feature store's)`, { user: name });
  return name;
}
