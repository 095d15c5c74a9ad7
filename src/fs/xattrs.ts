import type { Transaction } from '../db/engine.js';
import { XAttrError } from '../errors/fs-errors.js';
import { XATTR_VALUE_MAX } from './fs-schema.js';
import type { Inode } from './inode.js';
import { parsePath } from './paths.js';
import { READ, WRITE, type PermissionChecker } from './namespace/permissions.js';

/** HDFS's xattr set flags: create fails if it exists, replace fails if it does not; both by default. */
export type XAttrSetFlag = 'create' | 'replace' | 'create,replace';

/** The namespaces a client may use: `user.` (file permissions apply) and `trusted.` (superuser only). */
const NAMESPACES = { user: 0, trusted: 1 } as const;
type NamespaceName = keyof typeof NAMESPACES;
const NAMESPACE_NAMES: NamespaceName[] = ['user', 'trusted'];

/** As HDFS's dfs.namenode.fs-limits.max-xattrs-per-inode. */
export const MAX_XATTRS_PER_INODE = 32;
const MAX_XATTR_NAME_BYTES = 255;

function parseName(full: unknown): { namespace: NamespaceName; name: string } {
  if (typeof full !== 'string') throw new XAttrError('xattr name must be a string', { name: full });
  const dot = full.indexOf('.');
  const prefix = full.slice(0, dot).toLowerCase();
  const name = full.slice(dot + 1);
  if (dot <= 0 || !(prefix in NAMESPACES)) {
    throw new XAttrError(`An XAttr name must be prefixed with user or trusted, followed by a '.': ${full}`, { name: full });
  }
  if (name === '' || name.includes('\0') || Buffer.byteLength(name) > MAX_XATTR_NAME_BYTES) {
    throw new XAttrError(`XAttr name must be 1..${MAX_XATTR_NAME_BYTES} bytes without NUL: ${full}`, { name: full });
  }
  return { namespace: prefix as NamespaceName, name };
}

/** Extended attributes on inodes, with HDFS's namespaces, flags and limits (32 per inode, values ≤ 13,500 bytes). */
export class XAttrs {
  constructor(private readonly checker: PermissionChecker) {}

  private checkAccess(inode: Inode, path: string, namespace: NamespaceName, access: number): void {
    if (namespace === 'trusted') this.checker.checkSuperuser('trusted.* extended attributes');
    else this.checker.check(inode, access, parsePath(path));
  }

  async set(tx: Transaction, inode: Inode, path: string, fullName: string, value: Buffer | string, flag: XAttrSetFlag = 'create,replace'): Promise<void> {
    const { namespace, name } = parseName(fullName);
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    if (!Buffer.isBuffer(bytes)) throw new XAttrError('xattr value must be bytes or a string', { name: fullName });
    if (bytes.length > XATTR_VALUE_MAX) {
      throw new XAttrError(`The XAttr value is too big: ${bytes.length} bytes, the limit is ${XATTR_VALUE_MAX}`, { name: fullName, size: bytes.length });
    }
    this.checkAccess(inode, path, namespace, WRITE);
    const ns = NAMESPACES[namespace];
    const existing = await tx.get<{ n: number }>('SELECT 1 AS n FROM fs_xattrs WHERE inode_id = ? AND namespace = ? AND name = ?', [inode.id, ns, name]);
    if (existing && !flag.includes('replace')) throw new XAttrError(`XAttr: ${fullName} already exists. The REPLACE flag must be specified.`, { name: fullName });
    if (!existing && !flag.includes('create')) throw new XAttrError(`XAttr: ${fullName} does not exist. The CREATE flag must be specified.`, { name: fullName });
    if (existing) {
      await tx.run('UPDATE fs_xattrs SET value = ? WHERE inode_id = ? AND namespace = ? AND name = ?', [bytes, inode.id, ns, name]);
      return;
    }
    const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM fs_xattrs WHERE inode_id = ?', [inode.id]);
    if (Number(count?.n ?? 0) >= MAX_XATTRS_PER_INODE) {
      throw new XAttrError(`Cannot add additional XAttr to inode, would exceed limit of ${MAX_XATTRS_PER_INODE}`, { path });
    }
    await tx.run('INSERT INTO fs_xattrs (inode_id, namespace, name, value) VALUES (?, ?, ?, ?)', [inode.id, ns, name, bytes]);
  }

  async get(tx: Transaction, inode: Inode, path: string, names?: readonly string[]): Promise<Record<string, Buffer>> {
    const rows = await tx.all<{ namespace: number; name: string; value: Buffer }>(
      'SELECT namespace, name, value FROM fs_xattrs WHERE inode_id = ? ORDER BY namespace, name',
      [inode.id],
    );
    const out: Record<string, Buffer> = {};
    if (names === undefined) {
      this.checker.check(inode, READ, parsePath(path));
      for (const r of rows) {
        const namespace = NAMESPACE_NAMES[r.namespace]!;
        if (namespace === 'trusted' && !this.checker.isSuperuser) continue;
        out[`${namespace}.${r.name}`] = r.value;
      }
      return out;
    }
    for (const full of names) {
      const { namespace, name } = parseName(full);
      this.checkAccess(inode, path, namespace, READ);
      const row = rows.find((r) => r.namespace === NAMESPACES[namespace] && r.name === name);
      if (row === undefined) throw new XAttrError(`At least one of the attributes provided was not found: ${full}`, { name: full, path });
      out[`${namespace}.${name}`] = row.value;
    }
    return out;
  }

  /**
   * The names the caller may see (user.*, and trusted.* for the superuser). As in HDFS's listXAttrs, names need no
   * r on the inode, only the traverse to it that resolving the path already checked; values stay behind get's r check.
   */
  async list(tx: Transaction, inode: Inode): Promise<string[]> {
    const rows = await tx.all<{ namespace: number; name: string }>('SELECT namespace, name FROM fs_xattrs WHERE inode_id = ? ORDER BY namespace, name', [
      inode.id,
    ]);
    const names: string[] = [];
    for (const r of rows) {
      const namespace = NAMESPACE_NAMES[r.namespace]!;
      if (namespace === 'trusted' && !this.checker.isSuperuser) continue;
      names.push(`${namespace}.${r.name}`);
    }
    return names;
  }

  async remove(tx: Transaction, inode: Inode, path: string, fullName: string): Promise<void> {
    const { namespace, name } = parseName(fullName);
    this.checkAccess(inode, path, namespace, WRITE);
    const { changes } = await tx.run('DELETE FROM fs_xattrs WHERE inode_id = ? AND namespace = ? AND name = ?', [inode.id, NAMESPACES[namespace], name]);
    if (changes === 0) throw new XAttrError(`No matching attributes found for remove operation: ${fullName}`, { name: fullName, path });
  }
}
