import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { announceReady } from '../lib/proc.js';

// The real service, configured only through its environment like `abs-auth serve`.
const running = await startServer(loadConfig(process.env));
announceReady(running.port, () => running.stop());
