/** A project's row: what names it and who owns it. */
export interface ProjectRecord {
  id: number;
  name: string;
  owner: string;
  createdAt: number;
}
