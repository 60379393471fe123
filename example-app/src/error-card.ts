/** A failed lookup, as the user sees it: what happened, Juspay's words, and what to do next. */

import type { CustomerError, CustomerErrorCode } from 'capacitor-juspay-customer';

import { notice } from './notice';
import type { NoticeAction } from './notice';

const TITLES: Record<CustomerErrorCode, string> = {
  INVALID_ARGUMENT: 'Check the customer id',
  UNAUTHORIZED: 'Your session has ended',
  FORBIDDEN: 'Not allowed for this sign-in',
  CUSTOMER_NOT_FOUND: 'No customer with this id',
  ENDPOINT_NOT_FOUND: 'The backend URL looks wrong',
  RATE_LIMITED: 'Too many requests',
  SERVER_ERROR: 'The service is having trouble',
  TIMEOUT: 'No answer in time',
  NETWORK: 'Cannot reach the backend',
  INVALID_RESPONSE: 'Unexpected answer from the backend',
  CANCELLED: 'Lookup cancelled',
  INTERNAL: 'Something went wrong in the app',
};

/** Shown when Juspay or the backend sent no user message of its own. */
const FALLBACKS: Partial<Record<CustomerErrorCode, string>> = {
  FORBIDDEN: 'You can only look up the customer you are signed in as.',
  NETWORK: 'Check your connection and the backend URL in Settings, then try again.',
  TIMEOUT: 'The backend took too long to answer. Try again in a moment.',
  SERVER_ERROR: 'Something went wrong on the server. Try again in a moment.',
  RATE_LIMITED: 'Wait a moment, then try again.',
  ENDPOINT_NOT_FOUND: 'The backend answered 404 for this path. Check the backend URL in Settings.',
  CANCELLED: 'Nothing was looked up.',
  INTERNAL: 'This is a bug in the app, not a problem with your account. Please report it with the details below.',
};

export interface ErrorActions {
  retry: () => void;
  signInAgain: () => void;
  openSettings: () => void;
}

export function errorCard(error: CustomerError, actions: ErrorActions): HTMLElement {
  const { code, data } = error;
  // INVALID_ARGUMENT comes from the plugin before any request: its own message says what is wrong.
  const message =
    code === 'INVALID_ARGUMENT'
      ? sentence(error.message)
      : (data.userMessage ?? FALLBACKS[code] ?? sentence(error.message));
  const buttons: NoticeAction[] = [];
  if (data.retryable) buttons.push({ label: 'Try again', onClick: actions.retry, name: 'retry', retry: true });
  if (code === 'UNAUTHORIZED') buttons.push({ label: 'Sign in again', onClick: actions.signInAgain, name: 'sign-in' });
  if (code === 'NETWORK' || code === 'ENDPOINT_NOT_FOUND') {
    buttons.push({ label: 'Settings', onClick: actions.openSettings, kind: 'secondary', name: 'settings' });
  }
  return notice({
    code,
    title: TITLES[code] ?? 'Lookup failed',
    message,
    status: data.status,
    requestId: data.requestId,
    retryAfterMs: data.retryAfterMs,
    actions: buttons,
    tone: code === 'CANCELLED' ? 'neutral' : 'error',
  });
}

/** The plugin's own messages are clauses; shown as a sentence, identifiers (`customer_id`) kept as they are. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong.';
  const identifier = /^\S*_/.test(trimmed);
  const first = identifier ? trimmed : trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
