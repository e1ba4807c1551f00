import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_CLIENT_ID = 'Iv1.fakeclientid';
export const FAKE_CLIENT_SECRET = 'fake-client-secret-0123456789';

export interface FakeIdentity {
  id: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

/** How the stand-in misbehaves; each test sets what it needs, `reset()` restores a good GitHub. */
export interface FakeSwitches {
  /** The person signs in on GitHub and then declines access. */
  deny: boolean;
  /** Which endpoint answers 503: the token exchange, the user API, or just /user/emails. */
  outage: 'none' | 'token' | 'user' | 'emails';
  /** The token endpoint answers `{error: 'bad_verification_code'}` as GitHub does. */
  rejectCode: boolean;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  identity: FakeIdentity;
  used: boolean;
}

export interface TokenRequestRecord {
  form: Record<string, string>;
  accept: string | undefined;
}

/**
 * A stand-in for github.com and api.github.com on loopback: the authorize page (the person is
 * already signed in as `signedInAs`), the code exchange with PKCE, `/user` and `/user/emails`.
 */
export class FakeGithub {
  signedInAs: FakeIdentity | undefined;
  switches: FakeSwitches = { deny: false, outage: 'none', rejectCode: false };
  readonly authorizeRequests: URLSearchParams[] = [];
  readonly tokenRequests: TokenRequestRecord[] = [];
  readonly apiRequests: string[] = [];
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, FakeIdentity>();
  private server = createServer((req, res) => {
    this.handle(req, res).catch(() => send(res, 500, { message: 'fake failed' }));
  });
  url = '';

  /** Listens on a free port, or on `port` again to come back after `stop()`. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(identity?: FakeIdentity): void {
    this.signedInAs = identity;
    this.switches = { deny: false, outage: 'none', rejectCode: false };
    this.authorizeRequests.length = 0;
    this.tokenRequests.length = 0;
    this.apiRequests.length = 0;
  }

  /** Every access token this fake handed out, to look for them in logs. */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      return this.authorize(url.searchParams, res);
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      return this.exchange(req, res);
    }
    if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
      return this.api(url.pathname, req, res);
    }
    send(res, 404, { message: 'Not Found' });
  }

  private authorize(query: URLSearchParams, res: ServerResponse): void {
    this.authorizeRequests.push(query);
    const redirect = new URL(query.get('redirect_uri') ?? '');
    redirect.searchParams.set('state', query.get('state') ?? '');
    if (this.switches.deny || !this.signedInAs) {
      redirect.searchParams.set('error', 'access_denied');
      const description = 'The user has denied your application access.';
      redirect.searchParams.set('error_description', description);
    } else {
      const code = randomBytes(10).toString('hex');
      this.grants.set(code, {
        clientId: query.get('client_id') ?? '',
        redirectUri: query.get('redirect_uri') ?? '',
        challenge: query.get('code_challenge') ?? '',
        identity: this.signedInAs,
        used: false,
      });
      redirect.searchParams.set('code', code);
    }
    res.writeHead(302, { location: redirect.toString() }).end();
  }

  private async exchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    this.tokenRequests.push({ form, accept: req.headers.accept });
    if (this.switches.outage === 'token') return send(res, 503, { message: 'unicorn' });
    const grant = this.grants.get(form.code ?? '');
    const valid =
      !this.switches.rejectCode &&
      grant !== undefined &&
      !grant.used &&
      form.client_id === FAKE_CLIENT_ID &&
      form.client_secret === FAKE_CLIENT_SECRET &&
      grant.clientId === form.client_id &&
      form.redirect_uri === grant.redirectUri &&
      s256(form.code_verifier ?? '') === grant.challenge;
    if (!valid || !grant) return send(res, 200, { error: 'bad_verification_code' });
    grant.used = true;
    const token = `gho_${randomBytes(18).toString('hex')}`;
    this.tokens.set(token, grant.identity);
    send(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
  }

  private api(path: string, req: IncomingMessage, res: ServerResponse): void {
    this.apiRequests.push(path);
    const outage = this.switches.outage;
    if (outage === 'user' || (outage === 'emails' && path === '/user/emails')) {
      return send(res, 503, { message: 'unicorn' });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const identity = this.tokens.get(token);
    if (!identity) return send(res, 401, { message: 'Bad credentials' });
    if (path === '/user/emails')
      return send(
        res,
        200,
        identity.emails.map((e) => ({ ...e })),
      );
    const { id, login, name, avatarUrl } = identity;
    send(res, 200, { id, login, name, avatar_url: avatarUrl, type: 'User' });
  }
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
