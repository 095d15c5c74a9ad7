import type { FsCore } from './fs-core.js';
import { ROOT_ID } from './inode.js';
import { SubtreeOperation } from './subtree/subtree-operation.js';

export interface FsckOptions {
  /** Fix what can be fixed: remove orphan blocks and leftovers, finish or release dead subtree operations, recover
   * expired leases, correct child counts and quota usage, remove inodes unreachable from the root. */
  repair?: boolean;
  /** Unreferenced blocks younger than this may belong to a writer still at work and are left alone (default 10 min). */
  graceMs?: number;
}

export interface FsckReport {
  healthy: boolean;
  repaired: boolean;
  files: number;
  directories: number;
  blocks: number;
  /** Block files no inode references (older than the grace period). */
  orphanBlocks: number[];
  /** Temporary block files of writes that never committed. */
  incompleteBlockFiles: string[];
  /** Blocks the namespace references that the block store does not have: data loss, not repairable. */
  missingBlocks: { inodeId: number; blockId: number }[];
  staleSubtreeOperations: { id: string; kind: string; path: string }[];
  expiredLeases: { inodeId: number; holder: string | null }[];
  wrongChildCounts: { inodeId: number; recorded: number; actual: number }[];
  wrongQuotaUsage: { inodeId: number; recorded: { names: number; space: number }; actual: { names: number; space: number } }[];
  /** Inodes whose parent chain does not reach the root. */
  unreachableInodes: number[];
}

interface ScannedInode {
  id: number;
  parentId: number;
  isDir: boolean;
  space: number;
  children: number;
  hasQuota: boolean;
  underConstruction: boolean;
  leaseHolder: string | null;
}

const PAGE = 5000;

async function scanInodes(core: FsCore): Promise<Map<number, ScannedInode>> {
  const inodes = new Map<number, ScannedInode>();
  let after = 0;
  for (;;) {
    const rows = await core.engine.read((tx) =>
      tx.all<{
        id: number;
        parent_id: number;
        is_dir: number;
        size: number;
        replication: number;
        children: number;
        has_quota: number;
        under_construction: number;
        lease_holder: string | null;
      }>(
        'SELECT id, parent_id, is_dir, size, replication, children, has_quota, under_construction, lease_holder FROM fs_inodes WHERE id > ? ORDER BY id LIMIT ?',
        [after, PAGE],
      ),
    );
    for (const r of rows) {
      const id = Number(r.id);
      inodes.set(id, {
        id,
        parentId: Number(r.parent_id),
        isDir: r.is_dir === 1,
        space: r.is_dir === 1 ? 0 : Number(r.size) * r.replication,
        children: r.children,
        hasQuota: r.has_quota === 1,
        underConstruction: r.under_construction === 1,
        leaseHolder: r.lease_holder,
      });
    }
    if (rows.length < PAGE) return inodes;
    after = Number(rows[rows.length - 1]!.id);
  }
}

async function scanBlockRefs(core: FsCore): Promise<Map<number, number>> {
  const refs = new Map<number, number>(); // block id → inode id
  let after = 0;
  for (;;) {
    const rows = await core.engine.read((tx) =>
      tx.all<{ block_id: number; inode_id: number }>('SELECT block_id, inode_id FROM fs_blocks WHERE block_id > ? ORDER BY block_id LIMIT ?', [after, PAGE]),
    );
    for (const r of rows) refs.set(Number(r.block_id), Number(r.inode_id));
    if (rows.length < PAGE) return refs;
    after = Number(rows[rows.length - 1]!.block_id);
  }
}

/**
 * HDFS's fsck for humle fs: compares the namespace with the block store and with itself. Meant for a quiet file
 * system; writers at work are protected by the grace period and by their leases.
 */
export async function runFsck(core: FsCore, options: FsckOptions): Promise<FsckReport> {
  const repair = options.repair ?? false;
  const graceMs = options.graceMs ?? 10 * 60_000;
  const now = core.now();

  const stale = await SubtreeOperation.listStale(core);
  if (repair) for (const op of stale) await SubtreeOperation.recover(core, op.id, op.rootId);

  const leaseRows = await core.engine.read((tx) => tx.all<{ inode_id: number; renewed_at: number }>('SELECT inode_id, renewed_at FROM fs_leases'));
  const leaseAge = new Map(leaseRows.map((r) => [Number(r.inode_id), now - Number(r.renewed_at)]));

  const inodes = await scanInodes(core);
  const expiredLeases = [...inodes.values()]
    .filter((i) => i.underConstruction && (leaseAge.get(i.id) ?? Infinity) > core.limits.leaseSoftLimitMs)
    .map((i) => ({ inodeId: i.id, holder: i.leaseHolder }));
  if (repair && expiredLeases.length > 0) {
    await core.engine.write(async (tx) => {
      for (const { inodeId } of expiredLeases) {
        await tx.run('DELETE FROM fs_leases WHERE inode_id = ?', [inodeId]);
        await core.inodes.setUnderConstruction(tx, inodeId, null);
      }
    });
  }

  // Reachability and true usage, from the parent links.
  const childrenOf = new Map<number, number[]>();
  for (const inode of inodes.values()) {
    if (inode.id === ROOT_ID) continue;
    let list = childrenOf.get(inode.parentId);
    if (list === undefined) childrenOf.set(inode.parentId, (list = []));
    list.push(inode.id);
  }
  const reachable = new Set<number>();
  const order: number[] = [];
  const stack = [ROOT_ID];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (!inodes.has(id) || reachable.has(id)) continue;
    reachable.add(id);
    order.push(id);
    for (const c of childrenOf.get(id) ?? []) stack.push(c);
  }
  const unreachableInodes = [...inodes.keys()].filter((id) => !reachable.has(id));

  const usage = new Map<number, { names: number; space: number }>();
  for (let i = order.length - 1; i >= 0; i--) {
    const inode = inodes.get(order[i]!)!;
    const own = { names: 1, space: inode.space };
    for (const c of childrenOf.get(inode.id) ?? []) {
      const u = usage.get(c);
      if (u) {
        own.names += u.names;
        own.space += u.space;
      }
    }
    usage.set(inode.id, own);
  }

  const wrongChildCounts: FsckReport['wrongChildCounts'] = [];
  for (const id of order) {
    const inode = inodes.get(id)!;
    if (!inode.isDir) continue;
    const actual = (childrenOf.get(id) ?? []).filter((c) => reachable.has(c)).length;
    if (actual !== inode.children) wrongChildCounts.push({ inodeId: id, recorded: inode.children, actual });
  }
  const quotaRows = await core.engine.read((tx) => core.quotas.all(tx));
  const wrongQuotaUsage: FsckReport['wrongQuotaUsage'] = [];
  for (const q of quotaRows) {
    const actual = usage.get(q.inodeId);
    if (actual && (actual.names !== q.nsUsed || actual.space !== q.dsUsed)) {
      wrongQuotaUsage.push({ inodeId: q.inodeId, recorded: { names: q.nsUsed, space: q.dsUsed }, actual });
    }
  }

  const refs = await scanBlockRefs(core);
  const stored = new Map<number, number>(); // block id → modified at
  for await (const b of core.blocks.list()) stored.set(b.blockId, b.modifiedAt);
  const orphanBlocks = [...stored.entries()].filter(([id, at]) => !refs.has(id) && now - at >= graceMs).map(([id]) => id);
  const missingBlocks = [...refs.entries()].filter(([blockId]) => !stored.has(blockId)).map(([blockId, inodeId]) => ({ inodeId, blockId }));
  const incompleteBlockFiles: string[] = [];
  for await (const t of core.blocks.listIncomplete()) if (now - t.modifiedAt >= graceMs) incompleteBlockFiles.push(t.name);

  if (repair) {
    await core.discardBlocks(orphanBlocks);
    for (const name of incompleteBlockFiles) await core.blocks.deleteIncomplete(name);
    for (let i = 0; i < unreachableInodes.length; i += 500) {
      const batch = unreachableInodes.slice(i, i + 500);
      const blockIds = await core.engine.write(async (tx) => {
        const ids = await core.contents.blockIdsOf(tx, batch);
        await tx.run(`DELETE FROM fs_inodes WHERE id IN (${batch.map(() => '?').join(',')})`, batch);
        return ids;
      });
      await core.discardBlocks(blockIds);
    }
    await core.engine.write(async (tx) => {
      for (const w of wrongChildCounts) await tx.run('UPDATE fs_inodes SET children = ? WHERE id = ?', [w.actual, w.inodeId]);
      for (const w of wrongQuotaUsage) {
        await tx.run('UPDATE fs_quotas SET ns_used = ?, ds_used = ? WHERE inode_id = ?', [w.actual.names, w.actual.space, w.inodeId]);
      }
    });
  }

  let files = 0;
  let directories = 0;
  for (const id of reachable) (inodes.get(id)?.isDir ?? false) ? directories++ : files++;
  const problems =
    orphanBlocks.length + incompleteBlockFiles.length + missingBlocks.length + stale.length + expiredLeases.length +
    wrongChildCounts.length + wrongQuotaUsage.length + unreachableInodes.length;
  return {
    healthy: problems === 0,
    repaired: repair,
    files,
    directories,
    blocks: refs.size,
    orphanBlocks,
    incompleteBlockFiles,
    missingBlocks,
    staleSubtreeOperations: stale.map((s) => ({ id: s.id, kind: s.kind, path: s.path })),
    expiredLeases,
    wrongChildCounts,
    wrongQuotaUsage,
    unreachableInodes,
  };
}
