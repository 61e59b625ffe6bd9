/** Small helpers for building HTML as strings: escaping, times and state words. */
import type { CheckState } from '../../src/fetch.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value, safe inside a double-quoted attribute or element content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** `2026-12-01 22:50 UTC`: unambiguous without JavaScript; the page's script localises it. */
export function utcText(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return 'an unknown time';
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function timeTag(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${utcText(iso)}</time>`;
}

/** A duration for people: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function durationText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

export const STATE_WORD: Record<CheckState, string> = {
  nominal: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
};

/** A symbol for each state, so that colour is never the only carrier of meaning. */
export const STATE_SYMBOL: Record<CheckState, string> = { nominal: '✓', degraded: '!', down: '✕' };

/** CSS class per state: s-n, s-g, s-d (and s-e for "no data"). */
export const STATE_CLASS: Record<CheckState, string> = { nominal: 'n', degraded: 'g', down: 'd' };

export function percentText(uptime: number | null): string {
  return uptime === null ? 'no checks' : `${uptime.toFixed(2)}%`;
}
