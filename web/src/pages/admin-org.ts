import { api, messageOf } from '../api.js';
import { h } from '../dom.js';
import { when } from '../format.js';
import type { PageContext } from '../router.js';
import { loadMe } from '../session.js';
import { callout, card, pageHeader } from '../ui/controls.js';
import { notify } from '../ui/notice.js';

interface Organization {
  id: string;
  name: string;
  selfServiceTokens: boolean;
  githubSignup?: boolean;
  createdAt?: string;
}

export async function organizationPage(ctx: PageContext) {
  const { organization: org } = await api<{ organization: Organization }>('GET', '/admin/org');
  const toggle = h('input', {
    type: 'checkbox',
    id: 'self-service',
    class: 'switch',
    role: 'switch',
    checked: org.selfServiceTokens,
    'aria-describedby': 'self-service-hint',
  });
  const error = h('div', { 'aria-live': 'assertive' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save');
  const form = h(
    'form',
    { class: 'stack' },
    h(
      'div',
      { class: 'setting' },
      toggle,
      h(
        'div',
        null,
        h(
          'label',
          { for: 'self-service', class: 'setting-label' },
          'Members create their own tokens',
        ),
        h(
          'p',
          { class: 'hint', id: 'self-service-hint' },
          'When on, every member can create access tokens within their role from the dashboard. ',
          'Turn it off for an enterprise setup where only administrators issue tokens; tokens ',
          'already issued keep working until they expire or are revoked.',
        ),
      ),
    ),
    error,
    h('div', null, save),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await api('PATCH', '/admin/org', { selfServiceTokens: toggle.checked });
      await loadMe();
      notify(
        toggle.checked
          ? 'Members can now create their own tokens'
          : 'Only administrators issue tokens now',
      );
      ctx.refresh();
    } catch (failure) {
      error.replaceChildren(callout('bad', messageOf(failure)));
      save.disabled = false;
    }
  });
  return [
    pageHeader('Organization', 'Settings that apply to everyone in the organization.'),
    card(
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Name'),
        h('dd', null, org.name),
        h('dt', null, 'Organization id'),
        h('dd', null, h('code', { class: 'mono' }, org.id)),
        org.createdAt && [h('dt', null, 'Created'), h('dd', null, when(org.createdAt))],
      ),
    ),
    card(h('h2', null, 'Token policy'), form),
  ];
}
