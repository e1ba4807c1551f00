import type { Db } from '../db/connect.js';
import type { OrganizationRow } from '../db/schema.js';

export interface Organization {
  id: string;
  name: string;
  selfServiceTokens: boolean;
  githubSignup: boolean;
  createdAt: number;
}

export function toOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    name: row.name,
    selfServiceTokens: row.self_service_tokens === 1,
    githubSignup: row.github_signup === 1,
    createdAt: row.created_at,
  };
}

export async function insertOrganization(db: Db, org: Organization): Promise<void> {
  await db
    .insertInto('organizations')
    .values({
      id: org.id,
      name: org.name,
      self_service_tokens: org.selfServiceTokens ? 1 : 0,
      github_signup: org.githubSignup ? 1 : 0,
      created_at: org.createdAt,
    })
    .execute();
}

export async function findOrganization(db: Db, id: string): Promise<Organization | undefined> {
  const row = await db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toOrganization(row);
}

export async function listOrganizations(db: Db): Promise<Organization[]> {
  const rows = await db.selectFrom('organizations').selectAll().orderBy('created_at').execute();
  return rows.map(toOrganization);
}

export async function updateOrganization(
  db: Db,
  id: string,
  patch: { selfServiceTokens?: boolean; githubSignup?: boolean; name?: string },
): Promise<void> {
  const values: Partial<OrganizationRow> = {};
  if (patch.selfServiceTokens !== undefined)
    values.self_service_tokens = patch.selfServiceTokens ? 1 : 0;
  if (patch.githubSignup !== undefined) values.github_signup = patch.githubSignup ? 1 : 0;
  if (patch.name !== undefined) values.name = patch.name;
  if (Object.keys(values).length === 0) return;
  await db.updateTable('organizations').set(values).where('id', '=', id).execute();
}
