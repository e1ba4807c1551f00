import { h } from '../dom.js';
import { ago, when } from '../format.js';
import type { IssuedToken } from '../types.js';
import { badge, button, callout } from './controls.js';
import { openDialog } from './dialog.js';

/**
 * Shows a new token's secret, the one time it exists outside the service. It lives only in this
 * dialog's DOM, which is removed when the dialog closes; it is never stored by the page.
 */
export function revealToken(issued: IssuedToken, title: string, onDone: () => void): void {
  openDialog(title, (dialog) => {
    dialog.element.addEventListener('close', onDone);
    const setup = `export ABS_PAT_TOKEN=${issued.accessToken}`;
    const done = button('I have saved it', { variant: 'primary', onClick: dialog.close });
    queueMicrotask(() => done.focus());
    return [
      callout(
        'warn',
        h('strong', null, 'Copy this token now. '),
        'It will not be shown again: ABS Core keeps only a fingerprint of it.',
      ),
      copyRow('Token', issued.accessToken, 'secret-value'),
      copyRow('Shell setup', setup, 'setup-line'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Environment'),
        h(
          'dd',
          null,
          badge(issued.environment, issued.environment === 'production' ? 'accent' : 'info'),
        ),
        h('dt', null, 'Scope'),
        h('dd', null, issued.scope),
        h('dt', null, 'Expires'),
        h('dd', null, `${when(issued.expiresAt)} (${ago(issued.expiresAt)})`),
      ),
      h('div', { class: 'dialog-actions' }, done),
    ];
  });
}

function copyRow(label: string, value: string, testId: string): HTMLDivElement {
  const status = h('span', { class: 'copy-status', role: 'status' });
  const code = h('code', { class: 'secret', 'data-testid': testId, tabindex: '0' }, value);
  const copy = button('Copy', {
    icon: 'copy',
    'aria-label': `Copy ${label.toLowerCase()}`,
    onClick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        status.textContent = 'Copied';
      } catch {
        // Clipboard access can be refused; selecting the text lets the person copy it by hand.
        getSelection()?.selectAllChildren(code);
        status.textContent = 'Press Ctrl+C to copy';
      }
    },
  });
  return h(
    'div',
    { class: 'copy-row' },
    h('div', { class: 'copy-label' }, label, status),
    h('div', { class: 'copy-box' }, code, copy),
  );
}
