/**
 * The backend URL: the user's choice from Settings (kept in localStorage), else the build's
 * VITE_BACKEND_URL, else the reference backend's default address.
 */

const STORAGE_KEY = 'juspay-customer-example:backend-url';

export const DEFAULT_BACKEND_URL = import.meta.env.VITE_BACKEND_URL?.trim() || 'http://127.0.0.1:8787';

export function loadBackendUrl(): string {
  try {
    return localStorage.getItem(STORAGE_KEY)?.trim() || DEFAULT_BACKEND_URL;
  } catch {
    // Storage can be disabled (private modes, some WebView settings): the default still works.
    return DEFAULT_BACKEND_URL;
  }
}

/** Saves `url`, or forgets the saved one when it is the default. */
export function saveBackendUrl(url: string): void {
  try {
    if (url === DEFAULT_BACKEND_URL) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, url);
  } catch {
    // Not persisted; the app keeps using it until the page reloads.
  }
}
