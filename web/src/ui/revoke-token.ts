import { api } from '../api.js';
import { h } from '../dom.js';
import type { TokenMeta } from '../types.js';
import { button } from './controls.js';
import { confirmAction } from './dialog.js';
import { notify } from './notice.js';

/**
 * The Revoke button of a token row: it asks first, then sends DELETE to `path` (the member's own
 * route or the administrators' one) and calls `onDone` so the page shows the change.
 */
export function revokeButton(token: TokenMeta, path: string, onDone: () => void) {
  return button('Revoke', {
    variant: 'danger',
    'aria-label': `Revoke ${token.name}`,
    onClick: () =>
      confirmAction({
        title: 'Revoke this token?',
        message: [
          h(
            'p',
            null,
            'Anything using ',
            h('strong', null, token.name),
            ` (${token.prefix}…) stops working at once.`,
          ),
          h('p', null, 'This cannot be undone.'),
        ],
        confirmLabel: 'Revoke token',
        danger: true,
        action: async () => {
          await api('DELETE', path);
          notify(`Token “${token.name}” revoked`);
          onDone();
        },
      }),
  });
}
