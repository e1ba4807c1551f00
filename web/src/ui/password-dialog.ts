import { api, ApiFailure } from '../api.js';
import { field, input } from './controls.js';
import { formDialog } from './form-dialog.js';
import { notify } from './notice.js';

const MIN_LENGTH = 12;

/** The signed-in person changes their own password; their other sessions end with it. */
export function changePasswordDialog(): void {
  formDialog('Change your password', () => {
    const current = input({ type: 'password', autocomplete: 'current-password', required: true });
    const next = input({ type: 'password', autocomplete: 'new-password', required: true });
    const again = input({ type: 'password', autocomplete: 'new-password', required: true });
    return {
      fields: [
        field({ label: 'Current password', control: current }),
        field({
          label: 'New password',
          hint: `At least ${MIN_LENGTH} characters. You stay signed in here, and nowhere else.`,
          control: next,
        }),
        field({ label: 'New password, again', control: again }),
      ],
      submitLabel: 'Change password',
      novalidate: true,
      focus: () => current.focus(),
      read: () => {
        if (!current.value) return 'Enter your current password.';
        if (next.value.length < MIN_LENGTH) {
          return `The new password needs at least ${MIN_LENGTH} characters.`;
        }
        if (next.value !== again.value) return 'The two new passwords differ. Type them again.';
        return { currentPassword: current.value, newPassword: next.value };
      },
      send: async (body, dialog) => {
        try {
          await api('POST', '/me/password', body);
        } catch (failure) {
          throw reworded(failure);
        }
        dialog.close();
        notify('Password changed. Your other sessions were signed out.');
      },
    };
  });
}

/** The sign-in form's words for a wrong password do not fit here: there is no email to check. */
function reworded(failure: unknown): unknown {
  if (failure instanceof ApiFailure && failure.code === 'invalid_credentials') {
    return new ApiFailure(failure.status, failure.code, 'Your current password is not correct.');
  }
  return failure;
}
