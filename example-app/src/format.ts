/** How customer fields are shown. Email and mobile number are personal data: masked by default. */

import type { Customer } from 'capacitor-juspay-customer';

const DOT = '•';

/** `priya.raghavan@example.com` → `p•••••n@example.com`: a fixed run of dots hides the length. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return DOT.repeat(8);
  const local = email.slice(0, at);
  const edge = local.length > 2 ? `${local[0]}${DOT.repeat(5)}${local[local.length - 1]}` : DOT.repeat(5);
  return `${edge}${email.slice(at)}`;
}

/** `9876543210` → `••••••3210`: only the last four digits stay. */
export function maskMobile(mobile: string): string {
  const digits = mobile.replace(/\s+/g, '');
  return digits.length <= 4 ? DOT.repeat(4) : `${DOT.repeat(6)}${digits.slice(-4)}`;
}

/**
 * Juspay's client auth token, `tkn_••••••3f9a`: enough to tell tokens apart, never the token.
 * It is a credential for Juspay's SDK, so the whole of it is never put on the page.
 */
export function maskToken(token: string): string {
  return token.length > 12 ? `${token.slice(0, 4)}${DOT.repeat(6)}${token.slice(-4)}` : DOT.repeat(8);
}

/** `+91 9876543210`, with the country code when Juspay has one. */
export function withCountryCode(mobile: string, countryCode: string | null): string {
  return countryCode ? `+${countryCode.replace(/^\+/, '')} ${mobile}` : mobile;
}

export function fullName(customer: Customer): string {
  const name = [customer.firstName, customer.lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
  return name || 'Unnamed customer';
}

export function initials(customer: Customer): string {
  const letters = [customer.firstName, customer.lastName]
    .map((part) => part?.trim().charAt(0) ?? '')
    .join('')
    .toUpperCase();
  return letters || '?';
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** Juspay's ISO 8601 text in the reader's locale and time zone; as sent when it does not parse. */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : dateTime.format(at);
}

export function formatDate(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : dateOnly.format(at);
}

export function formatTime(at: Date): string {
  return timeOnly.format(at);
}
