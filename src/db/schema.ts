import type { Generated, Insertable, Selectable } from 'kysely';

// Times are integer milliseconds since the epoch in both SQLite and PostgreSQL (bigint there),
// flags are 0/1 integers, and JSON is text: one encoding, so both dialects behave the same.

export interface OrganizationsTable {
  id: string;
  name: string;
  self_service_tokens: number;
  github_signup: number;
  created_at: number;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string;
  name: string;
  avatar: string | null;
  role: string;
  provider: string;
  password_hash: string | null;
  github_id: string | null;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  org_id: string;
  secret_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface TokensTable {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  environment: string;
  scope: string;
  secret_hash: string;
  prefix: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  expires_at: number;
  revoked_at: number | null;
  rotated_from: string | null;
  rotated_to: string | null;
  rate_limit: string | null;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  org_id: string;
  /** The environment of the server that accepted the event (`staging` or `production`). */
  environment: string;
  token_id: string;
  user_id: string;
  event_type: string;
  agent_id: string | null;
  payload: string;
  metadata: string | null;
  occurred_at: number | null;
  received_at: number;
}

export interface AuditEntriesTable {
  id: string;
  org_id: string;
  seq: number;
  at: number;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  org_id: string;
  seq: number;
  hash: string;
}

export interface OAuthStatesTable {
  state_hash: string;
  code_verifier: string;
  return_to: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  events: EventsTable;
  audit_entries: AuditEntriesTable;
  audit_heads: AuditHeadsTable;
  oauth_states: OAuthStatesTable;
  /** SQLite only: one row, moved by triggers on `tokens` and `users` (0004_credential_epoch). */
  credential_epoch: CredentialEpochTable;
}

export interface CredentialEpochTable {
  id: number;
  value: number;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type TokenRow = Selectable<TokensTable>;
export type EventRow = Selectable<EventsTable>;
export type AuditEntryRow = Selectable<AuditEntriesTable>;
export type NewTokenRow = Insertable<TokensTable>;
