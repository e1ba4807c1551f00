import type { Route } from './router.js';
import { signInPage } from './pages/sign-in.js';
import { profilePage } from './pages/profile.js';
import { myTokensPage } from './pages/my-tokens.js';
import { eventsPage } from './pages/events.js';
import { usersPage } from './pages/admin-users.js';
import { adminTokensPage } from './pages/admin-tokens.js';
import { organizationPage } from './pages/admin-org.js';
import { auditPage } from './pages/admin-audit.js';

/** Every page; the server answers exactly these paths with the dashboard. */
export const ROUTES: Route[] = [
  { path: '/sign-in', title: 'Sign in', access: 'public', render: signInPage },
  { path: '/account', title: 'Profile', access: 'member', render: profilePage },
  { path: '/account/tokens', title: 'Access tokens', access: 'member', render: myTokensPage },
  { path: '/events', title: 'Events', access: 'member', render: eventsPage },
  { path: '/manage/users', title: 'Users', access: 'admin', render: usersPage },
  { path: '/manage/tokens', title: 'Tokens', access: 'admin', render: adminTokensPage },
  {
    path: '/manage/organization',
    title: 'Organization',
    access: 'admin',
    render: organizationPage,
  },
  { path: '/manage/audit', title: 'Audit log', access: 'admin', render: auditPage },
];
