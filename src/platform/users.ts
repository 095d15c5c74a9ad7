import type { Engine, Transaction } from '../db/engine.js';
import { UserNotFoundError } from '../errors/platform-errors.js';
import { checkUserName } from './user-name.js';

/**
 * Platform users. They are made by an administrator (the `humle` CLI on the data directory: `apikey create`,
 * `project add-member`), never by the REST API, so a key holder cannot mint identities.
 */
export class UserRegistry {
  constructor(private readonly engine: Engine) {}

  /** Creates the user if it does not exist; true when it was created. */
  async ensure(name: string): Promise<boolean> {
    checkUserName(name);
    return this.engine.write((tx) => this.ensureIn(tx, name));
  }

  async ensureIn(tx: Transaction, name: string): Promise<boolean> {
    if (await this.existsIn(tx, name)) return false;
    await tx.run('INSERT INTO hm_users (name, created_at) VALUES (?, ?)', [name, Date.now()]);
    return true;
  }

  async exists(name: string): Promise<boolean> {
    checkUserName(name);
    return this.engine.read((tx) => this.existsIn(tx, name));
  }

  async existsIn(tx: Transaction, name: string): Promise<boolean> {
    return (await tx.get('SELECT name FROM hm_users WHERE name = ?', [name])) !== undefined;
  }

  async requireIn(tx: Transaction, name: string): Promise<void> {
    if (!(await this.existsIn(tx, name))) throw new UserNotFoundError(`user ${name} not found`, { user: name });
  }
}
