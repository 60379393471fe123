/** A message card: a failed lookup or sign-in, with its code, the server's words and next steps. */

import { h, icon, ICONS } from './dom';

export interface NoticeAction {
  label: string;
  onClick: () => void;
  kind?: 'primary' | 'secondary';
  /** `data-action`, for tests and analytics. */
  name?: string;
  retry?: boolean;
}

export interface NoticeContent {
  code: string;
  title: string;
  message: string;
  status?: number | null;
  requestId?: string | null;
  retryAfterMs?: number | null;
  actions?: NoticeAction[];
  tone?: 'error' | 'neutral';
}

export function notice(content: NoticeContent): HTMLElement {
  const details: HTMLElement[] = [];
  if (content.status !== undefined && content.status !== null)
    details.push(detail('HTTP status', String(content.status)));
  if (content.requestId) {
    details.push(detail('Request id', h('code', { 'data-testid': 'request-id' }, content.requestId)));
  }
  if (content.retryAfterMs !== undefined && content.retryAfterMs !== null) {
    details.push(detail('Retry after', `${Math.ceil(content.retryAfterMs / 1000)} s`));
  }
  const buttons = (content.actions ?? []).map((action) =>
    h(
      'button',
      {
        type: 'button',
        class: `button button--${action.kind ?? 'primary'}`,
        'data-action': action.name,
        onclick: action.onClick,
      },
      action.retry ? icon(ICONS.retry, 'icon icon--small') : null,
      action.label,
    ),
  );
  return h(
    'div',
    { class: `notice notice--${content.tone ?? 'error'}`, 'data-testid': 'error', 'data-code': content.code },
    h(
      'div',
      { class: 'notice__head' },
      icon(ICONS.alert, 'icon notice__icon'),
      h('h3', { class: 'notice__title' }, content.title),
      h(
        'code',
        { class: 'notice__code', 'data-testid': 'error-code' },
        h('span', { class: 'visually-hidden' }, 'Error code '),
        content.code,
      ),
    ),
    h('p', { class: 'notice__message', 'data-testid': 'error-message' }, content.message),
    details.length ? h('dl', { class: 'notice__details' }, ...details) : null,
    buttons.length ? h('div', { class: 'notice__actions' }, ...buttons) : null,
  );
}

function detail(label: string, value: Node | string): HTMLElement {
  return h('div', { class: 'notice__detail' }, h('dt', {}, label), h('dd', {}, value));
}
