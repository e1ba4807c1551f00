import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  behindTheBack,
  failSignIn,
  cutTailAndHead,
  freshLedger,
  runCli,
  strangerEmail,
  TRUST_LOOPBACK,
} from './support.js';

let server: TestServer;
let dir: string;
let script: string;

/** The checking script exactly as docs/audit.md prints it, so the documented procedure is run. */
function documentedScript(): string {
  const doc = readFileSync(join(process.cwd(), 'docs/audit.md'), 'utf8');
  const match = /```sh check-audit\.sh\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error('docs/audit.md lost its check-audit.sh block');
  return match[1]!;
}

beforeAll(async () => {
  server = await startTestServer(TRUST_LOOPBACK);
  dir = mkdtempSync(join(tmpdir(), 'abs-audit-export-'));
  script = join(dir, 'check-audit.sh');
  writeFileSync(script, documentedScript());
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function exportTo(orgId: string, name: string) {
  const run = await runCli(server, ['audit', 'export', '--org', orgId]);
  expect(run.code, run.stderr).toBe(0);
  const file = join(dir, name);
  writeFileSync(file, run.stdout);
  return { file, run };
}

/** The auditor's side: a POSIX shell and sha256sum, nothing of ours. */
function check(file: string, head?: string) {
  const result = spawnSync('sh', [script, file, ...(head ? [head] : [])], { encoding: 'utf8' });
  return { code: result.status, out: result.stdout.trim() };
}

function sha256sumOfLine(file: string, line: number): string {
  const text = execFileSync('sh', ['-c', `sed -n ${line}p "$1" | sha256sum`, 'sh', file], {
    encoding: 'utf8',
  });
  return text.split(' ')[0]!;
}

describe('abs-auth audit export', () => {
  it('exports lines whose sha256sum is the hash of their entry', async () => {
    const ledger = await freshLedger(server);
    const { file, run } = await exportTo(ledger.orgId, 'intact.jsonl');
    const head = ledger.rows[6]!.hash;
    expect(run.stderr).toContain(`exported 7 entries of ${ledger.orgId}; recorded head ${head}`);

    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    lines.forEach((line, i) => {
      const row = ledger.rows[i]!;
      expect(JSON.parse(line)).toMatchObject({
        entry: { id: row.id, seq: i + 1 },
        prev: row.prev_hash,
      });
      expect(sha256sumOfLine(file, i + 1)).toBe(row.hash);
    });
    expect(lines[0]!.endsWith(`,"prev":"${'0'.repeat(64)}"}`)).toBe(true);

    expect(check(file, head)).toEqual({ code: 0, out: `7 entries, head ${head}` });
  });

  it('lets the documented check find an entry edited in the database', async () => {
    const ledger = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db
        .updateTable('audit_entries')
        .set({ outcome: 'success' })
        .where('id', '=', ledger.rows[3]!.id)
        .execute(),
    );
    const { file } = await exportTo(ledger.orgId, 'edited.jsonl');
    expect(check(file)).toEqual({
      code: 1,
      out: 'line 5: broken: its prev is not the hash of line 4',
    });
  });

  it('lets the documented check find an entry deleted from the database', async () => {
    const ledger = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db.deleteFrom('audit_entries').where('id', '=', ledger.rows[2]!.id).execute(),
    );
    const { file } = await exportTo(ledger.orgId, 'deleted.jsonl');
    expect(check(file)).toEqual({
      code: 1,
      out: 'line 3: broken: its prev is not the hash of line 2',
    });
  });

  it('lets the documented check find a line edited in the file itself', async () => {
    const ledger = await freshLedger(server);
    const { file, run } = await exportTo(ledger.orgId, 'file-edited.jsonl');
    writeFileSync(file, run.stdout.replace('"outcome":"failure"', '"outcome":"success"'));
    expect(check(file)).toEqual({
      code: 1,
      out: 'line 5: broken: its prev is not the hash of line 4',
    });
  });

  it('lets the documented check find a cut tail only against a head kept earlier', async () => {
    const ledger = await freshLedger(server);
    const kept = ledger.rows[6]!.hash;
    await cutTailAndHead(server, ledger, 5);
    const { file } = await exportTo(ledger.orgId, 'cut.jsonl');
    expect(check(file).code).toBe(0);
    expect(check(file, kept)).toEqual({
      code: 1,
      out: `5 entries, head ${ledger.rows[4]!.hash}\nhead differs from the expected ${kept}`,
    });
  });

  it('exports the chain of sign-ins that belong to no organization', async () => {
    const email = strangerEmail('Nobody.Here');
    await failSignIn(server, email);
    const { file, run } = await exportTo('system', 'system.jsonl');
    const last = JSON.parse(run.stdout.trimEnd().split('\n').pop()!);
    expect(last.entry).toMatchObject({
      orgId: 'system',
      action: 'auth.login',
      outcome: 'failure',
      details: { email: email.toLowerCase(), reason: 'unknown_email' },
    });
    expect(check(file).code).toBe(0);
  });

  it('refuses an organization that does not exist, with exit code 3 (not found)', async () => {
    const run = await runCli(server, ['audit', 'export', '--org', 'org_doesnotexist0000']);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('abs-auth: --org: no organization org_doesnotexist0000\n');
    expect(run.stdout).toBe('');
  });
});
