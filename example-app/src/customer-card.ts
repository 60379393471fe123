/** The customer card: who the customer is, with personal data masked until asked for. */

import type { Customer } from 'capacitor-juspay-customer';

import { h, icon, ICONS } from './dom';
import {
  formatDate,
  formatDateTime,
  formatTime,
  fullName,
  initials,
  maskEmail,
  maskMobile,
  maskToken,
  withCountryCode,
} from './format';

export function customerCard(customer: Customer): HTMLElement {
  const name = fullName(customer);
  const rows: HTMLElement[] = [
    row('Juspay id', h('code', {}, customer.id)),
    row('Reference id', customer.objectReferenceId ? h('code', {}, customer.objectReferenceId) : notGiven()),
    row(
      'Email',
      customer.emailAddress ? revealable('email', 'email address', customer.emailAddress, maskEmail) : notGiven(),
    ),
    row(
      'Mobile',
      customer.mobileNumber
        ? revealable(
            'mobile',
            'mobile number',
            withCountryCode(customer.mobileNumber, customer.mobileCountryCode),
            () => withCountryCode(maskMobile(customer.mobileNumber as string), customer.mobileCountryCode),
          )
        : notGiven(),
    ),
    row('Created', customer.dateCreated ? time(customer.dateCreated) : notGiven()),
    row('Last updated', customer.lastUpdated ? time(customer.lastUpdated) : notGiven()),
  ];
  // What the app would hand to Juspay's SDK: shown masked, with its expiry, never in full.
  const auth = customer.juspay;
  if (auth) rows.push(row('Juspay SDK token', clientAuthToken(auth.clientAuthToken, auth.clientAuthTokenExpiry)));
  return h(
    'article',
    { class: 'customer', 'aria-labelledby': 'customer-name', 'data-testid': 'customer-card' },
    h(
      'header',
      { class: 'customer__header' },
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(customer)),
      h(
        'div',
        { class: 'customer__title' },
        h('h3', { id: 'customer-name', class: 'customer__name' }, name),
        customer.dateCreated
          ? h('p', { class: 'customer__since' }, `Customer since ${formatDate(customer.dateCreated)}`)
          : null,
      ),
    ),
    h('dl', { class: 'fields' }, ...rows),
  );
}

function clientAuthToken(token: string, expiry: string | null): HTMLElement {
  const at = expiry === null ? null : new Date(expiry);
  const until = at && !Number.isNaN(at.getTime()) ? `expires ${formatTime(at)}` : 'no expiry given';
  return h('span', { 'data-field': 'client-auth-token' }, `${maskToken(token)}, ${until}`);
}

function row(label: string, value: Node): HTMLElement {
  return h('div', { class: 'fields__row' }, h('dt', {}, label), h('dd', {}, value));
}

function notGiven(): HTMLElement {
  return h('span', { class: 'muted' }, 'Not given');
}

function time(iso: string): HTMLElement {
  return h('time', { datetime: iso }, formatDateTime(iso));
}

/**
 * A value shown masked, with a button that reveals and hides it. The clear text lives only in
 * this closure until revealed, so it is not in the page's text (or a screen reader's) before.
 */
function revealable(field: string, spoken: string, clear: string, mask: (value: string) => string): HTMLElement {
  const masked = mask(clear);
  const value = h('span', { class: 'reveal__value', 'data-field': field, 'data-masked': 'true' }, masked);
  const label = h('span', {}, 'Show');
  const hiddenLabel = h('span', { class: 'visually-hidden' }, ` ${spoken}`);
  const button = h(
    'button',
    { type: 'button', class: 'button button--ghost button--small', 'data-reveal': field },
    icon(ICONS.eye, 'icon icon--small'),
    label,
    hiddenLabel,
  );
  button.addEventListener('click', () => {
    const showing = value.dataset.masked === 'true';
    value.textContent = showing ? clear : masked;
    value.dataset.masked = showing ? 'false' : 'true';
    label.textContent = showing ? 'Hide' : 'Show';
    button.replaceChild(icon(showing ? ICONS.eyeOff : ICONS.eye, 'icon icon--small'), button.firstChild as Node);
  });
  return h('span', { class: 'reveal' }, value, button);
}
