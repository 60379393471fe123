export * from './definitions';
export { JuspayCustomer } from './plugin';
export { createCustomerClient } from './client';
export { CUSTOMER_ERROR_CODES, isCustomerError } from './errors';
