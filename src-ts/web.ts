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
import { lookupCustomer } from './lookup/http-lookup';
import { validateSettings } from './lookup/settings';
import type { Settings } from './lookup/settings';
import { tokenProblem } from './token';

/**
 * The plugin on the web: the same lookup as the Rust core, over fetch. It holds what `configure`
 * and `setToken` gave and the lookups in flight; the lookup itself lives in `lookup/`.
 */
export class JuspayCustomerWeb extends WebPlugin implements JuspayCustomerPlugin {
  private settings: Settings | undefined;
  private token: string | undefined;
  private readonly inFlight = new Map<string, AbortController>();

  async configure(options: ConfigureOptions): Promise<void> {
    // Everything is checked before anything is replaced: a bad call keeps the old configuration.
    const settings = validateSettings(options);
    const token = options.token === undefined || options.token === null ? undefined : checkedToken(options.token);
    this.settings = settings;
    this.token = token;
  }

  async setToken(options: SetTokenOptions): Promise<void> {
    this.token = checkedToken(options?.token);
  }

  // Not `async`: the lookup must be registered before this returns, so that a `cancel` sent
  // right after it finds the lookup.
  getCustomer(options: GetCustomerOptions): Promise<Customer> {
    const settings = this.settings;
    const token = this.token;
    if (settings === undefined) return Promise.reject(invalidArgument('call configure before getCustomer'));
    if (token === undefined) {
      return Promise.reject(invalidArgument('no device token: pass token to configure or call setToken'));
    }
    const { customerId, lookupId } = options ?? ({} as Partial<GetCustomerOptions>);
    if (lookupId === undefined || lookupId === null) return lookupCustomer(settings, token, customerId as string);
    if (typeof lookupId !== 'string' || lookupId === '') {
      return Promise.reject(invalidArgument('lookupId must be a non-empty string when given'));
    }
    if (this.inFlight.has(lookupId)) {
      return Promise.reject(invalidArgument(`lookupId "${lookupId}" is already used by a lookup in flight`));
    }
    const controller = new AbortController();
    this.inFlight.set(lookupId, controller);
    const done = () => this.inFlight.delete(lookupId);
    return lookupCustomer(settings, token, customerId as string, controller.signal).then(
      (customer) => {
        done();
        return customer;
      },
      (e: unknown) => {
        done();
        throw e;
      },
    );
  }

  async cancel(options: CancelOptions): Promise<void> {
    const lookupId = options?.lookupId;
    if (typeof lookupId !== 'string') throw invalidArgument('lookupId is required');
    this.inFlight.get(lookupId)?.abort();
  }
}

function checkedToken(token: unknown): string {
  if (typeof token !== 'string') throw invalidArgument('token is required');
  const problem = tokenProblem(token);
  if (problem !== undefined) throw invalidArgument(`token ${problem}`);
  return token as string;
}
