import type { Engine, Transaction } from '../db/engine.js';
import { MemberExistsError, MemberNotFoundError } from '../errors/platform-errors.js';
import { bumpAccessGenerationIn } from './access-generation.js';
import type { ProjectRole } from './project-role.js';

export interface ProjectMember {
  user: string;
  role: ProjectRole;
  addedAt: number;
}

/** A project the user belongs to, with the role held there. */
export interface Membership {
  projectId: number;
  project: string;
  role: ProjectRole;
}

interface MemberRow {
  user_name: string;
  role: string;
  added_at: number;
}

/** Who belongs to which project, in which role: rows of hm_project_members. Every change bumps the access generation. */
export class ProjectMembers {
  constructor(private readonly engine: Engine) {}

  async list(projectId: number): Promise<ProjectMember[]> {
    const rows = await this.engine.read((tx) =>
      tx.all<MemberRow>('SELECT user_name, role, added_at FROM hm_project_members WHERE project_id = ? ORDER BY user_name', [projectId]),
    );
    return rows.map((row) => ({ user: row.user_name, role: row.role as ProjectRole, addedAt: Number(row.added_at) }));
  }

  async roleOfIn(tx: Transaction, projectId: number, user: string): Promise<ProjectRole | undefined> {
    const row = await tx.get<{ role: string }>(`SELECT role FROM hm_project_members WHERE project_id = ? AND user_name = ?${this.engine.dialect.forUpdate}`, [
      projectId,
      user,
    ]);
    return row?.role as ProjectRole | undefined;
  }

  /** Every project the user belongs to: one indexed read, done once per authenticated request. */
  async membershipsOfIn(tx: Transaction, user: string): Promise<Membership[]> {
    const rows = await tx.all<{ project_id: number; name: string; role: string }>(
      'SELECT m.project_id, p.name, m.role FROM hm_project_members m JOIN hm_projects p ON p.id = m.project_id WHERE m.user_name = ? ORDER BY p.name',
      [user],
    );
    return rows.map((row) => ({ projectId: Number(row.project_id), project: row.name, role: row.role as ProjectRole }));
  }

  async addIn(tx: Transaction, projectId: number, project: string, user: string, role: ProjectRole): Promise<void> {
    if ((await this.roleOfIn(tx, projectId, user)) !== undefined) {
      throw new MemberExistsError(`${user} is already a member of ${project}`, { project, user });
    }
    await tx.run('INSERT INTO hm_project_members (project_id, user_name, role, added_at) VALUES (?, ?, ?, ?)', [projectId, user, role, Date.now()]);
    await bumpAccessGenerationIn(tx);
  }

  async setRoleIn(tx: Transaction, projectId: number, project: string, user: string, role: ProjectRole): Promise<void> {
    const result = await tx.run('UPDATE hm_project_members SET role = ? WHERE project_id = ? AND user_name = ?', [role, projectId, user]);
    // MySQL counts only changed rows: a role set to what it was changes none, so existence is checked apart.
    if (result.changes === 0 && (await this.roleOfIn(tx, projectId, user)) === undefined) {
      throw new MemberNotFoundError(`${user} is not a member of ${project}`, { project, user });
    }
    await bumpAccessGenerationIn(tx);
  }

  async removeIn(tx: Transaction, projectId: number, project: string, user: string): Promise<void> {
    const result = await tx.run('DELETE FROM hm_project_members WHERE project_id = ? AND user_name = ?', [projectId, user]);
    if (result.changes === 0) throw new MemberNotFoundError(`${user} is not a member of ${project}`, { project, user });
    await bumpAccessGenerationIn(tx);
  }
}
