import { hostileSuite } from './suite.js';

hostileSuite('hostile input on the runtime API', (route) => route.path.startsWith('/v1'));
