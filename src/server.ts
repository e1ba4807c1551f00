import { getRequestListener } from '@hono/node-server';
import { createServer, ServerResponse, type RequestListener, type Server } from 'node:http';
import { bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import { migrate } from './db/migrations.js';
import { createApp } from './http/app.js';
import { withFastVerify } from './http/fast-verify.js';
import { createServices, type ServiceOverrides, type Services } from './services.js';

export interface RunningServer {
  services: Services;
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish, then closes the database. */
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  overrides: ServiceOverrides = {},
): Promise<RunningServer> {
  const services = await createServices(config, overrides);
  await migrate(services.db, services.dialect);
  const first = await bootstrap(services);
  if (first.created) announceFirstAdmin(first.email!, first.generatedPassword);

  const app = createApp(services);
  const appListener = getRequestListener(app.fetch, { hostname: config.host });
  const server = await listen(withFastVerify(services, appListener), config);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  // libuv's default is 4; `bin/abs-auth.js` sizes it to the machine before the pool starts.
  const threadPool = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  // The V8 flags `npm start` and bin/abs-auth.js pass (memory settings), as this process got them.
  const nodeFlags = process.execArgv;
  services.logger.info(
    { port, environment: config.environment, threadPool, nodeFlags },
    'server started',
  );
  return {
    services,
    port,
    url: `http://${host}:${port}`,
    stop: () => stop(server, services),
  };
}

/**
 * @hono/node-server gives every answer that names no type `text/plain`, a 204 and a 304 included;
 * those carry no content (RFC 9110, sections 15.3.5 and 15.4.5), so they go out without one.
 */
class Answer extends ServerResponse {
  // Fixed parameters rather than a rest array: this runs for every answer, `/verify`'s included.
  // Node's own writeHead takes `(status, headers)` and `(status, reason, headers)` alike.
  override writeHead(statusCode: number, reason?: unknown, headers?: unknown): this {
    if (statusCode === 204 || statusCode === 304) {
      for (const part of [reason, headers]) {
        if (part && typeof part === 'object' && !Array.isArray(part)) {
          delete (part as Record<string, unknown>)['content-type'];
        }
      }
      this.removeHeader('content-type');
    }
    const original = ServerResponse.prototype.writeHead as (...args: unknown[]) => this;
    return original.call(this, statusCode, reason, headers);
  }
}

function listen(listener: RequestListener, config: Config) {
  return new Promise<Server>((resolve, reject) => {
    // Node checks these deadlines on a timer, every 30 s by default, so a 10 s limit could take
    // 40 s to act: once a second keeps each within a second of what docs/limits.md says.
    const options = { connectionsCheckingInterval: 1000, ServerResponse: Answer };
    const server = createServer(options, listener);
    // Slow-loris guards: a client gets 10 s to send its headers and 30 s for the whole request.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve(server));
  });
}

async function stop(server: Server, services: Services): Promise<void> {
  await new Promise<void>((resolve) => {
    // A keep-alive connection goes idle when its request in flight ends; closing it then (rather
    // than after the keep-alive timeout) lets the process exit as soon as the last answer is out.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(sweeper);
      resolve();
    });
    server.closeIdleConnections();
    // Requests still running after 10 s are cut off rather than holding the shutdown forever.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
  await services.close();
  services.logger.info('server stopped');
}

/** Printed once, to the terminal only: the logger never sees the generated password. */
function announceFirstAdmin(email: string, password: string | undefined): void {
  const lines = ['', 'First admin created.', `  email:    ${email}`];
  if (password) {
    lines.push(
      `  password: ${password}`,
      '  This password is shown only now. Sign in and keep it.',
    );
  } else {
    lines.push('  password: the one in ABS_ADMIN_PASSWORD');
  }
  process.stderr.write(`${lines.join('\n')}\n\n`);
}
