import { WebPlugin } from '@capacitor/core';

import type {
  CancelOptions,
  ConfigureOptions,
  Customer,
  GetCustomerOptions,
  JuspayCustomerPlugin,
  SetTokenOptions,
} from './definitions';
import { invalidArgument } from './errors';
import { checkedToken, stringOption, validateConfigure } from './lookup/settings';
import type { Settings } from './lookup/settings';
import { sharedLookups } from './lookup/shared-lookups';
import type { Lookup } from './lookup/shared-lookups';

/**
 * The plugin on the web: the same lookup as the Rust core, over fetch. It holds what `configure`
 * and `setToken` gave and the lookups in flight; the lookup itself lives in `lookup/`. Every
 * call answers as on Android and iOS: src-ts/contract/plugin-calls.json.
 */
export class JuspayCustomerWeb extends WebPlugin implements JuspayCustomerPlugin {
  private settings: Settings | undefined;
  // Undefined until there is a token; replaced, with its cache, by every configure and setToken.
  private lookup: Lookup | undefined;
  private readonly inFlight = new Map<string, AbortController>();

  async configure(options: ConfigureOptions): Promise<void> {
    // Everything is checked before anything is replaced: a refused call keeps the old state.
    const [settings, token] = validateConfigure(options);
    this.settings = settings;
    this.lookup = token === undefined ? token : sharedLookups(settings, token);
  }

  async setToken(options: SetTokenOptions): Promise<void> {
    const { settings } = this;
    if (!settings) throw invalidArgument('call configure before setToken');
    this.lookup = sharedLookups(settings, checkedToken(stringOption(options, 'token', true) as string));
  }

  // Everything up to the first `await` runs within this call: the lookup is registered before
  // it returns, so a `cancel` sent right after it finds it, and it keeps the token of now.
  async getCustomer(options: GetCustomerOptions): Promise<Customer> {
    const { settings, lookup, inFlight } = this;
    if (!settings) throw invalidArgument('call configure before getCustomer');
    if (!lookup) throw invalidArgument('no device token: pass token to configure or call setToken');
    const customerId = stringOption(options, 'customerId', true) as string;
    const lookupId = stringOption(options, 'lookupId');
    // Absent or null is false.
    const clientAuthToken = !!stringOption(options, 'clientAuthToken', false, 'boolean');
    const controller = new AbortController();
    if (lookupId !== undefined) {
      if (!lookupId) throw invalidArgument('lookupId must not be empty');
      if (inFlight.has(lookupId)) throw invalidArgument(`lookupId "${lookupId}" is already used by a lookup in flight`);
      inFlight.set(lookupId, controller);
    }
    try {
      return await lookup(customerId, { clientAuthToken }, controller.signal);
    } finally {
      if (lookupId !== undefined) inFlight.delete(lookupId);
    }
  }

  async cancel(options: CancelOptions): Promise<void> {
    const lookup = this.inFlight.get(stringOption(options, 'lookupId', true) as string);
    if (lookup) lookup.abort();
  }
}
