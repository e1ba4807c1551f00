import { hostileSuite } from './suite.js';

hostileSuite(
  'hostile input on the auth API, GitHub sign-in and the dashboard paths',
  (route) => !route.path.startsWith('/admin') && !route.path.startsWith('/v1'),
);
