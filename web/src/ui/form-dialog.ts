import { messageOf } from '../api.js';
import { h, type Child } from '../dom.js';
import { button, callout } from './controls.js';
import { openDialog, type DialogHandle } from './dialog.js';

export interface FormSpec<T> {
  /** What the form shows above its error line and its Cancel and submit buttons. */
  fields: Child[];
  submitLabel: string;
  /** Set when `read` checks the fields itself, so the browser shows no bubbles of its own. */
  novalidate?: boolean;
  /** Where focus lands once the dialog is open. */
  focus: () => void;
  /** What to send, or a sentence saying what to fix first (shown, and nothing is sent). */
  read: () => T | string;
  /** Sends it; a thrown error is shown in the dialog, which then stays open to try again. */
  send: (value: T, dialog: DialogHandle) => Promise<void>;
}

/**
 * A dialog holding one form: the submit button is held down while a request is in flight, and a
 * refusal is shown in place, so what was typed is kept. `build` runs once the dialog exists.
 */
export function formDialog<T>(title: string, build: (dialog: DialogHandle) => FormSpec<T>): void {
  openDialog(title, (dialog) => {
    const spec = build(dialog);
    const error = h('div', { 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, spec.submitLabel);
    const form = h(
      'form',
      { class: 'stack', novalidate: spec.novalidate },
      spec.fields,
      error,
      h('div', { class: 'dialog-actions' }, button('Cancel', { onClick: dialog.close }), submit),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = spec.read();
      if (typeof value === 'string') return error.replaceChildren(callout('bad', value));
      submit.disabled = true;
      try {
        await spec.send(value, dialog);
      } catch (failure) {
        error.replaceChildren(callout('bad', messageOf(failure)));
        submit.disabled = false;
      }
    });
    queueMicrotask(spec.focus);
    return form;
  });
}
