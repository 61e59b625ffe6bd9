/**
 * One run's announcements as the message each kind of receiver reads: Slack incoming webhooks (`text`),
 * Discord webhooks (`content`, no mentions), Microsoft Teams Workflows webhooks (an Adaptive Card; the
 * old Office 365 connectors are retired) and plain JSON (the documented body, signed with
 * X-OTS-Signature when OTS_NOTIFY_SECRET is set). `auto` picks by the URL's host.
 */
import type { CheckState } from '../../src/fetch.js';
import type { NotifyFormat } from '../config-monitor.js';
import { OTS_HEADER, signOts } from '../signature.js';
import type { Transition, VersionChange } from './state-machine.js';

/** What one message can announce: state transitions (and reminders) and server version changes. */
export type Notice = Transition | VersionChange;

export type ReceiverFormat = Exclude<NotifyFormat, 'auto'>;

/** The documented JSON body (docs/functions.md "The monitor's memory", docs/monitor.md). */
export interface NotificationBody {
  text: string;
  state: CheckState;
  checkedAt: string;
  /** A transition as the state machine records it, without its internal `kind`. */
  transitions: Omit<Transition, 'kind'>[];
  /** Present only when the server's version changed: an optional field, so the rest keeps its shape. */
  versionChanges?: { target: string; from: string; to: string; at: string }[];
}

export function formatFor(url: URL, configured: NotifyFormat): ReceiverFormat {
  if (configured !== 'auto') return configured;
  const host = url.hostname.toLowerCase();
  if (host === 'hooks.slack.com') return 'slack';
  if (/^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(host) && url.pathname.startsWith('/api/webhooks/')) {
    return 'discord';
  }
  if (host.endsWith('.logic.azure.com') || host.endsWith('.powerplatform.com')) return 'teams';
  return 'json';
}

export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

export function line(t: Transition): string {
  if (t.kind === 'reminder') return `${t.target} is still ${t.to} (incident ${t.incidentId}): ${t.message}`;
  if (t.to === 'nominal') {
    const after = t.durationSeconds === undefined ? '' : ` after ${duration(t.durationSeconds)}`;
    return `${t.target} recovered${after} (was ${t.from})`;
  }
  return `${t.target} is ${t.to} (was ${t.from}): ${t.message}`;
}

export function versionLine(v: Pick<VersionChange, 'target' | 'from' | 'to'>): string {
  return `${v.target} moved from ${v.from} to ${v.to}`;
}

const noticeLine = (n: Notice): string => (n.kind === 'version' ? versionLine(n) : line(n));

export function notificationBody(
  notices: readonly Notice[],
  state: CheckState,
  checkedAt: string,
): NotificationBody {
  const transitions = notices.filter((n): n is Transition => n.kind !== 'version');
  const versions = notices.filter((n): n is VersionChange => n.kind === 'version');
  const body: NotificationBody = {
    text: `Onetime Secret: ${notices.map(noticeLine).join('; ')}`,
    state,
    checkedAt,
    transitions: transitions.map(({ target, from, to, at, incidentId, durationSeconds, message }) => ({
      target,
      from,
      to,
      at,
      incidentId,
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
      message,
    })),
  };
  if (versions.length > 0)
    body.versionChanges = versions.map(({ target, from, to, at }) => ({ target, from, to, at }));
  return body;
}

export interface Rendered {
  body: string;
  headers: Record<string, string>;
}

const DISCORD_LIMIT = 2000;

export function render(
  format: ReceiverFormat,
  body: NotificationBody,
  options: { secret?: string; nowSeconds: number },
): Rendered {
  const lines = [
    ...body.transitions.map((t) => `• ${line({ kind: t.from === t.to ? 'reminder' : 'transition', ...t })}`),
    ...(body.versionChanges ?? []).map((v) => `• ${versionLine(v)}`),
  ];
  const headers = { 'content-type': 'application/json' };
  switch (format) {
    case 'slack':
      return {
        body: JSON.stringify({ text: `*Onetime Secret: ${body.state}*\n${lines.join('\n')}` }),
        headers,
      };
    case 'discord': {
      const content = `**Onetime Secret: ${body.state}**\n${lines.join('\n')}`;
      const cut = content.length > DISCORD_LIMIT ? `${content.slice(0, DISCORD_LIMIT - 1)}…` : content;
      return { body: JSON.stringify({ content: cut, allowed_mentions: { parse: [] } }), headers };
    }
    case 'teams':
      return { body: JSON.stringify(adaptiveCard(body, lines)), headers };
    case 'json': {
      const json = JSON.stringify(body);
      if (options.secret === undefined) return { body: json, headers };
      return {
        body: json,
        headers: { ...headers, [OTS_HEADER]: signOts(options.secret, json, options.nowSeconds) },
      };
    }
  }
}

/** The message shape Teams Workflows' "When a Teams webhook request is received" trigger posts as a card. */
function adaptiveCard(body: NotificationBody, lines: string[]): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Medium',
              weight: 'Bolder',
              text: `Onetime Secret: ${body.state}`,
              color: body.state === 'nominal' ? 'Good' : body.state === 'degraded' ? 'Warning' : 'Attention',
              wrap: true,
            },
            ...lines.map((text) => ({ type: 'TextBlock', text, wrap: true })),
            {
              type: 'TextBlock',
              text: `Checked at ${body.checkedAt}`,
              isSubtle: true,
              size: 'Small',
              wrap: true,
            },
          ],
        },
      },
    ],
  };
}
