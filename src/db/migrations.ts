import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './connect.js';
import type { Db } from './connect.js';

// Migrations live in code so that the compiled service carries them; each is append-only.
function initial(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('organizations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('self_service_tokens', 'integer', (c) => c.notNull())
        .addColumn('github_signup', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('avatar', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('github_id', 'text', (c) => c.unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_org').on('users').columns(['org_id', 'id']).execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('rotated_from', 'text')
        .addColumn('rotated_to', 'text')
        .addColumn('rate_limit', 'text')
        .execute();
      await db.schema.createIndex('tokens_user').on('tokens').columns(['user_id', 'id']).execute();
      await db.schema.createIndex('tokens_org').on('tokens').columns(['org_id', 'id']).execute();

      const events = db.schema.createTable('events');
      await (
        dialect === 'postgres'
          ? events.addColumn('seq', 'bigserial', (c) => c.primaryKey())
          : events.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('token_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text')
        .addColumn('occurred_at', 'bigint')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_org').on('events').columns(['org_id', 'seq']).execute();
      await db.schema
        .createIndex('events_org_type')
        .on('events')
        .columns(['org_id', 'event_type', 'seq'])
        .execute();
      await db.schema
        .createIndex('events_org_agent')
        .on('events')
        .columns(['org_id', 'agent_id', 'seq'])
        .execute();

      await db.schema
        .createTable('audit_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addUniqueConstraint('audit_entries_chain', ['org_id', 'seq'])
        .execute();

      await db.schema
        .createTable('audit_heads')
        .addColumn('org_id', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('oauth_states')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('return_to', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
    },
  };
}

/**
 * Staging and production servers may share one database (the account manager issues tokens of
 * both from one place), so each event records the environment of the server that accepted it,
 * and every read is confined to the reader's. Events stored before this change were production's.
 */
const eventEnvironment: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('events')
      .addColumn('environment', 'text', (c) => c.notNull().defaultTo('production'))
      .execute();
    await db.schema
      .createIndex('events_org_env')
      .on('events')
      .columns(['org_id', 'environment', 'seq'])
      .execute();
  },
};

/**
 * Every event read is confined to one organization and one environment and ordered by `seq`, so
 * each filter gets an index in that order: a page is then one index range, however many events
 * of other types, agents or environments there are. The benchmark found the combined
 * type-and-agent filter reading every event of an agent without the last one.
 */
const eventFilterIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const old of ['events_org', 'events_org_type', 'events_org_agent']) {
      await db.schema.dropIndex(old).execute();
    }
    const indexes: Record<string, string[]> = {
      events_env_type: ['org_id', 'environment', 'event_type', 'seq'],
      events_env_agent: ['org_id', 'environment', 'agent_id', 'seq'],
      events_env_type_agent: ['org_id', 'environment', 'event_type', 'agent_id', 'seq'],
    };
    for (const [name, columns] of Object.entries(indexes)) {
      await db.schema.createIndex(name).on('events').columns(columns).execute();
    }
  },
};

// Every column of `tokens` but `last_used_at`, whose stamps change nothing a check decides on.
// LIMITATION: a column added to `tokens` later must be added here (cost: a cached check would
// not see a change to it; fix: a migration that recreates the trigger with the new list).
const TOKEN_CHECK_COLUMNS = [
  'id',
  'org_id',
  'user_id',
  'name',
  'environment',
  'scope',
  'secret_hash',
  'prefix',
  'created_at',
  'created_by',
  'expires_at',
  'revoked_at',
  'rotated_from',
  'rotated_to',
  'rate_limit',
];

/**
 * A counter that moves whenever anything a token check reads changes: revocation, rotation,
 * expiry, scope, budget, and the owner's role, status, email or organization (see
 * `auth/token-cache.ts`). Triggers move it inside the writing transaction, whichever process
 * writes (a second server on the same file, the CLI), so no code path can forget to.
 * SQLite only: on PostgreSQL every check stays one round trip, and reading the counter would cost
 * the same round trip, so there is nothing to cache there.
 */
function credentialEpoch(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'sqlite') return;
      await sql`create table credential_epoch (
        id integer primary key check (id = 1),
        value integer not null
      )`.execute(db);
      await sql`insert into credential_epoch (id, value) values (1, 0)`.execute(db);
      const bump = sql.raw('update credential_epoch set value = value + 1 where id = 1;');
      const columns = sql.raw(TOKEN_CHECK_COLUMNS.join(', '));
      const triggers = [
        sql`create trigger tokens_epoch_update after update of ${columns} on tokens
          begin ${bump} end`,
        sql`create trigger tokens_epoch_delete after delete on tokens begin ${bump} end`,
        sql`create trigger users_epoch_update after update on users begin ${bump} end`,
        sql`create trigger users_epoch_delete after delete on users begin ${bump} end`,
      ];
      for (const trigger of triggers) await trigger.execute(db);
    },
  };
}

function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_event_environment': eventEnvironment,
    '0003_event_filter_indexes': eventFilterIndexes,
    '0004_credential_epoch': credentialEpoch(dialect),
  };
}

/**
 * Brings the schema up to date. On PostgreSQL Kysely holds an advisory lock meanwhile, so of
 * several instances starting at once one migrates and the others wait. SQLite has no such lock
 * across processes: a second process that loses the race fails on a table the winner just made,
 * so it looks again, and finds the work done.
 */
export async function migrate(db: Db, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  const migrator = new Migrator({ db, provider });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error)
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (dialect !== 'sqlite' || attempt >= 5) {
      throw error instanceof Error ? error : new Error(String(error));
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
