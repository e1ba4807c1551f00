import { appendAudit } from '../audit/ledger.js';
import type { Db } from '../db/connect.js';
import { newId } from '../ids.js';
import { insertOrganization, type Organization } from '../store/organizations.js';
import { auditActor, type Actor } from './actor.js';

/** Enterprise organizations start with self-service tokens off: admins issue them. */
export async function createOrganization(
  tx: Db,
  input: { name: string; enterprise: boolean },
  actor: Actor,
  now: number,
): Promise<Organization> {
  const org: Organization = {
    id: newId('org'),
    name: input.name,
    selfServiceTokens: !input.enterprise,
    githubSignup: false,
    createdAt: now,
  };
  await insertOrganization(tx, org);
  await appendAudit(
    tx,
    {
      orgId: org.id,
      ...auditActor(actor),
      action: 'org.created',
      target: { type: 'organization', id: org.id },
      details: { name: org.name, selfServiceTokens: org.selfServiceTokens },
    },
    now,
  );
  return org;
}
