/**
 * The latency of the last 24 hours as inline SVG: the slowest answer of each 15-minute slot joined by a
 * line, broken where a slot had no answer, and a red tick on the baseline for each slot with a check
 * that was down. The figure's caption carries the same facts as text.
 */
import type { LatencyPoint } from './model.js';

const WIDTH = 240;
const HEIGHT = 48;
const SLOTS = 96;
const DAY_MS = 86_400_000;

interface Slot {
  ms: number | null;
  down: boolean;
}

function slots(points: readonly LatencyPoint[], now: Date): Slot[] {
  const from = now.getTime() - DAY_MS;
  const result: Slot[] = Array.from({ length: SLOTS }, () => ({ ms: null, down: false }));
  for (const point of points) {
    const index = Math.min(SLOTS - 1, Math.floor(((Date.parse(point.at) - from) / DAY_MS) * SLOTS));
    const slot = result[index];
    if (slot === undefined) continue;
    if (point.state === 'down') slot.down = true;
    if (point.ms !== null && point.state !== 'down') slot.ms = Math.max(slot.ms ?? 0, point.ms);
  }
  return result;
}

const round = (value: number) => Math.round(value * 10) / 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** `points` are the checks of the 24 h before `now`. Empty string when there is nothing to draw. */
export function renderSparkline(points: readonly LatencyPoint[], now: Date): string {
  const answered = points.filter((p) => p.ms !== null && p.state !== 'down').map((p) => p.ms!);
  const downCount = points.filter((p) => p.state === 'down').length;
  if (answered.length === 0 && downCount === 0) return '';
  const max = Math.max(1, ...answered);
  const step = WIDTH / SLOTS;
  let line = '';
  let ticks = '';
  let drawing = false;
  slots(points, now).forEach((slot, i) => {
    const x = round(i * step + step / 2);
    if (slot.down) ticks += `M${x} ${HEIGHT}v-6`;
    if (slot.ms === null) {
      drawing = false;
      return;
    }
    const y = round(HEIGHT - 2 - (slot.ms / max) * (HEIGHT - 8));
    line += `${drawing ? 'L' : 'M'}${x} ${y}`;
    drawing = true;
  });
  const caption =
    answered.length === 0
      ? `Latency, last 24 h: no answers, ${downCount} checks down.`
      : `Latency, last 24 h: median ${median(answered)} ms, slowest ${max} ms` +
        (downCount > 0 ? `, ${downCount} ${downCount === 1 ? 'check' : 'checks'} down.` : '.');
  const paths =
    (line === '' ? '' : `<path class=spark d="${line}" vector-effect=non-scaling-stroke />`) +
    (ticks === '' ? '' : `<path class=spark-d d="${ticks}" vector-effect=non-scaling-stroke />`);
  return (
    `<figure><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio=none aria-hidden=true>${paths}</svg>` +
    `<figcaption>${caption}</figcaption></figure>`
  );
}
