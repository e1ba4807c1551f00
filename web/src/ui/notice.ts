import { h } from '../dom.js';
import { icon } from '../icons.js';

/** A short confirmation ("Token revoked") announced to screen readers, gone after a while. */
export function notify(message: string, tone: 'good' | 'bad' = 'good'): void {
  const region = document.getElementById('toasts');
  if (!region) return;
  const toast = h(
    'div',
    { class: `toast toast-${tone}` },
    icon(tone === 'good' ? 'check' : 'alert', 16),
    h('span', null, message),
  );
  region.append(toast);
  setTimeout(() => toast.remove(), 6000);
}
