import { afterAll, beforeAll } from 'vitest';
import { adminOrgId } from './client.js';
import { startTestServer, type TestServer } from './server.js';

/**
 * One service for a whole test file, started before its tests and stopped after them, with the
 * organization of its bootstrapped admin: the setup most API tests begin with.
 */
export function useSharedServer(): { readonly server: TestServer; readonly orgId: string } {
  let server: TestServer | undefined;
  let orgId: string | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    orgId = await adminOrgId(server);
  });
  afterAll(() => server?.stop());
  return {
    get server() {
      return server!;
    },
    get orgId() {
      return orgId!;
    },
  };
}
