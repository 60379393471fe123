import { registerPlugin } from '@capacitor/core';

import type { JuspayCustomerPlugin } from './definitions';

/**
 * The plugin: native on Android and iOS, fetch on the web (loaded only when first used there).
 *
 * @since 0.1.0
 */
export const JuspayCustomer = registerPlugin<JuspayCustomerPlugin>('JuspayCustomer', {
  web: () => import('./web').then((m) => new m.JuspayCustomerWeb()),
});
