import { hostileSuite } from './suite.js';

hostileSuite('hostile input on the admin API', (route) => route.path.startsWith('/admin'));
