import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has safe laptop defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/abs.db',
      environment: 'production',
      publicUrl: 'http://127.0.0.1:8787',
      rateLimit: { limit: 600, windowSeconds: 60 },
      managementRateLimit: { limit: 300, windowSeconds: 60 },
      trustProxy: [],
    });
    expect(config.github).toBeUndefined();
  });

  it('reads PORT as decimal digits, an empty value as unset and 0 as any free port', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(8787);
    expect(loadConfig({ PORT: ' 9000 ' }).port).toBe(9000);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ PORT: '018793' }).port).toBe(18793);
  });

  it('reads the management budget apart from the runtime one', () => {
    const config = loadConfig({ ABS_RATE_LIMIT: '10/1m', ABS_MANAGEMENT_RATE_LIMIT: '1000/1h' });
    expect(config.rateLimit).toEqual({ limit: 10, windowSeconds: 60 });
    expect(config.managementRateLimit).toEqual({ limit: 1000, windowSeconds: 3600 });
  });

  it('takes a list of exact origins for CORS', () => {
    const config = loadConfig({
      ABS_CORS_ORIGINS: 'https://app.example.com, http://127.0.0.1:5173',
    });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://127.0.0.1:5173']);
  });

  it.each([
    [{ PORT: '70000' }, /PORT must be a port number from 0 to 65535/],
    [{ PORT: '0x4972' }, /PORT must be a port number/],
    [{ PORT: '80.5' }, /PORT must be a port number/],
    [{ PORT: '-1' }, /PORT must be a port number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ ABS_ENVIRONMENT: 'dev' }, /ABS_ENVIRONMENT/],
    [{ ABS_PUBLIC_URL: 'ftp://auth.example' }, /ABS_PUBLIC_URL must be an http:\/\/ or https:/],
    [{ ABS_RATE_LIMIT: 'lots' }, /ABS_RATE_LIMIT/],
    [{ ABS_ADMIN_EMAIL: 'notanemail' }, /ABS_ADMIN_EMAIL must be an email address/],
    [{ REDIS_URL: 'http://cache.internal:6379' }, /REDIS_URL must be a redis:\/\/ or rediss:/],
    [{ ABS_RATE_LIMIT: '0/60s' }, /ABS_RATE_LIMIT must be a count from 1 to 9999999/],
    [{ ABS_RATE_LIMIT: '10/25h' }, /ABS_RATE_LIMIT .* window from 1s to 24h/],
    [{ ABS_MANAGEMENT_RATE_LIMIT: '-1/60s' }, /ABS_MANAGEMENT_RATE_LIMIT must be a count from 1/],
    [{ ABS_GITHUB_CLIENT_ID: 'Iv1.abc' }, /ABS_GITHUB_CLIENT_SECRET is missing/],
    [{ ABS_GITHUB_CLIENT_SECRET: 'shh' }, /ABS_GITHUB_CLIENT_ID is missing/],
    [{ ABS_TRUST_PROXY: 'notanip' }, /ABS_TRUST_PROXY/],
    [{ ABS_TRUST_PROXY: '10.0.0.0/40' }, /ABS_TRUST_PROXY/],
    [{ ABS_CORS_ORIGINS: '*' }, /ABS_CORS_ORIGINS: "\*" is not an origin/],
    [{ ABS_CORS_ORIGINS: 'https://app.example.com/' }, /ABS_CORS_ORIGINS/],
    [{ ABS_CORS_ORIGINS: 'https://app.example.com, app.example.org' }, /ABS_CORS_ORIGINS/],
    [{ ABS_CORS_ORIGINS: 'ftp://files.example.com' }, /ABS_CORS_ORIGINS/],
    [{ ABS_CORS_ORIGINS: 'https://*.example.com' }, /ABS_CORS_ORIGINS/],
    [{ ABS_GITHUB_URL: 'javascript:alert(1)//' }, /ABS_GITHUB_URL/],
    [{ ABS_GITHUB_API_URL: 'ftp://api.example.com' }, /ABS_GITHUB_API_URL must be an http/],
  ])('stops at start on a bad value, naming the variable: %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });
});
