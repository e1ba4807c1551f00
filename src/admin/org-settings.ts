import { appendAudit } from '../audit/ledger.js';
import type { Services } from '../services.js';
import { findOrganization, updateOrganization, type Organization } from '../store/organizations.js';
import { auditActor, type Actor } from './actor.js';
import { fail, type AdminOutcome } from './outcome.js';
import { iso } from '../time.js';

/** The organization policy an admin may set. */
export interface OrgSettings {
  /** Non-admins may issue their own tokens (`POST /token`). */
  selfServiceTokens?: boolean | undefined;
  /** A GitHub sign-in whose email matches nobody joins the organization as a viewer. */
  githubSignup?: boolean | undefined;
}

const KEYS = ['selfServiceTokens', 'githubSignup'] as const;

export async function updateOrgSettings(
  services: Services,
  orgId: string,
  settings: OrgSettings,
  actor: Actor,
): Promise<AdminOutcome<{ organization: Organization }>> {
  return services.db.transaction().execute(async (tx) => {
    const org = await findOrganization(tx, orgId);
    if (!org) return fail('organization_not_found', 'No such organization.');
    const from: OrgSettings = {};
    const to: OrgSettings = {};
    for (const key of KEYS) {
      const wanted = settings[key];
      if (wanted === undefined || wanted === org[key]) continue;
      from[key] = org[key];
      to[key] = wanted;
    }
    if (Object.keys(to).length === 0) return { ok: true as const, organization: org };
    const now = services.now();
    await updateOrganization(tx, orgId, to);
    await appendAudit(
      tx,
      {
        orgId,
        ...auditActor(actor),
        action: 'org.updated',
        target: { type: 'organization', id: orgId },
        details: { from, to },
      },
      now,
    );
    services.logger.info({ orgId, ...to }, 'organization updated');
    return { ok: true as const, organization: { ...org, ...to } as Organization };
  });
}

export function organizationView(org: Organization) {
  return {
    id: org.id,
    name: org.name,
    selfServiceTokens: org.selfServiceTokens,
    githubSignup: org.githubSignup,
    createdAt: iso(org.createdAt),
  };
}
