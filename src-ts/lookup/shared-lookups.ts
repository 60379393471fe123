import type { Customer } from '../definitions';
import { cancelled } from '../errors';

import { lookupCustomer } from './http-lookup';
import type { LookupOptions } from './http-lookup';
import type { Settings } from './settings';

/** One lookup, as `SharedLookups` runs it. */
export type Lookup = (customerId: string, options: LookupOptions, signal: AbortSignal) => Promise<Customer>;

/** A caller's own copy: callers never share (or change) one another's objects. */
const copy = (customer: Customer): Customer => ({ ...customer, juspay: customer.juspay && { ...customer.juspay } });

/**
 * The lookups of one configuration and token, as the Rust core's client runs them: concurrent
 * lookups of the same customer with the same options share one request (each caller may leave
 * on its own; the request is aborted when the last has left), and with `cacheTtlMs` customers
 * found are kept in memory, never in storage, for that long. The plugin makes new ones on every
 * `configure` and `setToken`, so nothing crosses a token. Closures rather than a class: the
 * minifier can shorten every name.
 */
export function sharedLookups(settings: Settings, token: string): Lookup {
  const flights = new Map<string, (signal: AbortSignal) => Promise<Customer>>();
  const kept = new Map<string, [Customer, number]>();
  return (customerId, options, signal) => {
    const key = +options.clientAuthToken + customerId;
    const hit = kept.get(key);
    if (signal.aborted) return Promise.reject(cancelled());
    if (hit && hit[1] > Date.now()) return Promise.resolve(copy(hit[0]));
    kept.delete(key);
    let join = flights.get(key);
    if (!join) {
      const stop = new AbortController();
      const request = lookupCustomer(settings, token, customerId, options, stop.signal);
      let waiters = 0;
      const forget = () => flights.get(key) === join && flights.delete(key);
      request.then((customer) => {
        forget();
        if (settings.cacheTtlMs) kept.set(key, [customer, Date.now() + settings.cacheTtlMs]);
      }, forget);
      // Once the request has settled every waiter settles with it, so the count no longer matters.
      join = (signal) =>
        new Promise<Customer>((resolve, reject) => {
          waiters++;
          const leave =
            <T>(then: (value: T) => void) =>
            (value: T) => {
              signal.removeEventListener('abort', onAbort);
              waiters--;
              then(value);
            };
          const onAbort = leave(() => {
            reject(cancelled());
            if (!waiters) {
              forget();
              stop.abort();
            }
          });
          signal.addEventListener('abort', onAbort);
          request.then(
            leave((customer: Customer) => resolve(copy(customer))),
            leave(reject),
          );
        });
      flights.set(key, join);
    }
    return join(signal);
  };
}
