import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { curl } from '../support/curl.js';
import { databaseText, leaked } from '../support/leaks.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startTestServer,
  type TestServer,
} from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the documented flow, by hand with curl', () => {
  const secrets: string[] = [ADMIN_PASSWORD, 'a-wrong-password-typed'];

  it('signs in, generates a PAT, verifies it, reads /me and logs out', async () => {
    const signIn = await curl([
      '-X',
      'POST',
      `${server.url}/login`,
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    ]);
    expect(signIn.status, signIn.body).toBe(200);
    const session = JSON.parse(signIn.body).token as string;
    secrets.push(session);

    const minted = await curl([
      '-X',
      'POST',
      `${server.url}/token`,
      '-H',
      `Authorization: Bearer ${session}`,
    ]);
    expect(minted.status, minted.body).toBe(201);
    const pat = JSON.parse(minted.body).accessToken as string;
    secrets.push(pat);

    // The documentation's Verify Token example, with the host swapped for ours.
    const verify = await curl([`${server.url}/verify`, '-H', `Authorization: Bearer ${pat}`]);
    expect(verify.status, verify.body).toBe(200);
    expect(JSON.parse(verify.body)).toMatchObject({
      active: true,
      type: 'pat',
      email: ADMIN_EMAIL,
      role: 'admin',
      scope: 'runtime:read runtime:write admin:manage',
    });

    // The documentation's Current User example.
    const me = await curl([`${server.url}/me`, '-H', `Authorization: Bearer ${session}`]);
    expect(me.status, me.body).toBe(200);
    expect(Object.keys(JSON.parse(me.body))).toEqual(
      expect.arrayContaining(['id', 'email', 'name', 'avatar', 'role', 'provider']),
    );

    const out = await curl([
      '-X',
      'POST',
      `${server.url}/logout`,
      '-H',
      `Authorization: Bearer ${session}`,
    ]);
    expect(out.status).toBe(204);
    const refused = await curl([`${server.url}/me`, '-H', `Authorization: Bearer ${session}`]);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/invalid_token/);

    const wrong = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: 'a-wrong-password-typed' },
    });
    expectStatus(wrong, 401);
  });

  it('leaves no secret or password in the logs or the database', async () => {
    expect(secrets.length).toBe(4);
    expect(server.logs.length).toBeGreaterThan(5);
    expect(leaked(server.logs.join('\n'), secrets)).toEqual([]);
    expect(leaked(await databaseText(server), secrets)).toEqual([]);
  });

  it('redacts Authorization, cookies and secret fields in the logger itself', () => {
    const before = server.logs.length;
    server.services.logger.info(
      {
        headers: { authorization: 'Bearer abs_pat_x', cookie: 'abs_session=y' },
        password: 'hunter2-hunter2',
        body: { accessToken: 'abs_pat_z', secret: 'shh' },
      },
      'redaction probe',
    );
    const line = server.logs.slice(before).join('\n');
    expect(line).toContain('redaction probe');
    for (const secret of ['abs_pat_x', 'abs_session=y', 'hunter2', 'abs_pat_z', 'shh']) {
      expect(line).not.toContain(secret);
    }
  });
});
