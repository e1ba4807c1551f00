import { append, h, type Child } from '../dom.js';
import { icon } from '../icons.js';
import { button } from './controls.js';

export interface DialogHandle {
  element: HTMLDialogElement;
  body: HTMLDivElement;
  close(): void;
}

/**
 * A modal built on <dialog>: it traps focus, closes with Escape and returns focus to the control
 * that opened it. The element is removed on close, so nothing shown in it (a secret) lingers.
 */
export function openDialog(title: string, build: (d: DialogHandle) => Child): DialogHandle {
  const opener = document.activeElement as HTMLElement | null;
  const body = h('div', { class: 'dialog-body' });
  const heading = h('h2', { class: 'dialog-title', id: `dlg-${Date.now()}` }, title);
  const closeButton = h(
    'button',
    { type: 'button', class: 'icon-btn', 'aria-label': 'Close' },
    icon('close', 18),
  );
  const element = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': heading.id },
    h('div', { class: 'dialog-head' }, heading, closeButton),
    body,
  );
  const handle: DialogHandle = { element, body, close: () => element.close() };
  closeButton.addEventListener('click', handle.close);
  element.addEventListener('close', () => {
    element.remove();
    opener?.focus();
  });
  append(body, [build(handle)]);
  document.body.append(element);
  element.showModal();
  return handle;
}

export interface ConfirmOptions {
  title: string;
  message: Child;
  confirmLabel: string;
  danger?: boolean;
  /** Runs on confirm; a thrown error is shown in the dialog, which then stays open. */
  action: () => Promise<void>;
}

export function confirmAction(options: ConfirmOptions): void {
  openDialog(options.title, (dialog) => {
    const error = h('p', { class: 'form-error', role: 'alert' });
    const confirm = button(options.confirmLabel, {
      variant: options.danger ? 'danger' : 'primary',
      onClick: async () => {
        confirm.disabled = true;
        try {
          await options.action();
          dialog.close();
        } catch (failure) {
          error.textContent = (failure as Error).message;
          confirm.disabled = false;
        }
      },
    });
    const cancel = button('Cancel', { onClick: dialog.close });
    queueMicrotask(() => cancel.focus());
    return [
      h('div', { class: 'dialog-text' }, options.message),
      error,
      h('div', { class: 'dialog-actions' }, cancel, confirm),
    ];
  });
}
