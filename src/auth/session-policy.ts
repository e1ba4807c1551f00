/** A session ends after 12 hours without a request, or 7 days after sign-in, whichever first. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** The session's last-seen time is written at most this often, to keep checks read-mostly. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;
