/**
 * What the Settings dialog sets, kept in localStorage (configuration only, never customer data):
 * the backend URL (else the build's VITE_BACKEND_URL, else the reference backend's default
 * address), how long the plugin keeps customers found in memory, and the backend's SPKI pins.
 */

const STORAGE_KEY = 'juspay-customer-example:backend-url';
const CACHE_KEY = 'juspay-customer-example:cache-seconds';
const PINS_KEY = 'juspay-customer-example:pins';

export const DEFAULT_BACKEND_URL = import.meta.env.VITE_BACKEND_URL?.trim() || 'http://127.0.0.1:8787';

export interface AppSettings {
  backendUrl: string;
  /** `cacheTtlMs` in seconds, as the dialog shows it; 0 keeps nothing. */
  cacheSeconds: number;
  /** SPKI pins (Android and iOS; the web refuses them). */
  pins: string[];
}

export function loadSettings(): AppSettings {
  const read = (key: string) => {
    try {
      return localStorage.getItem(key)?.trim() || '';
    } catch {
      // Storage can be disabled (private modes, some WebView settings): the defaults still work.
      return '';
    }
  };
  const seconds = Number(read(CACHE_KEY));
  return {
    backendUrl: read(STORAGE_KEY) || DEFAULT_BACKEND_URL,
    cacheSeconds: Number.isInteger(seconds) && seconds > 0 && seconds <= 60 ? seconds : 0,
    pins: parsePins(read(PINS_KEY)),
  };
}

/** Saves `settings`, forgetting what is at its default. */
export function saveSettings(settings: AppSettings): void {
  const write = (key: string, value: string, isDefault: boolean) => {
    try {
      if (isDefault) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Not persisted; the app keeps using it until the page reloads.
    }
  };
  write(STORAGE_KEY, settings.backendUrl, settings.backendUrl === DEFAULT_BACKEND_URL);
  write(CACHE_KEY, String(settings.cacheSeconds), settings.cacheSeconds === 0);
  write(PINS_KEY, settings.pins.join('\n'), settings.pins.length === 0);
}

/** One pin per line (or separated by spaces or commas); blank lines are ignored. */
export function parsePins(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function sameSettings(a: AppSettings, b: AppSettings): boolean {
  return a.backendUrl === b.backendUrl && a.cacheSeconds === b.cacheSeconds && a.pins.join() === b.pins.join();
}
