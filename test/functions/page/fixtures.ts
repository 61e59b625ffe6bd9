/** Page test data: synthetic history (deterministic) and an in-memory history source that records reads. */
import type { HistoryData, TargetHistory } from '../../../functions/page/model.js';
import type { HistoryRequest, HistorySource } from '../../../functions/page/source.js';
import { syntheticHistory } from '../../../scripts/synthetic-history.js';

export const NOW = new Date('2026-12-01T22:57:00Z');
export const FIVE = ['ca', 'eu', 'nz', 'uk', 'us'];

export function fiveTargets(now = NOW): HistoryData {
  return syntheticHistory({ targets: FIVE, days: 90, now, incidentEveryDays: 6 });
}

/** Answers from `data` as a store would: only the targets, days and incidents asked for. */
export class MemorySource implements HistorySource {
  readonly requests: HistoryRequest[] = [];
  constructor(
    private readonly data: HistoryData,
    private readonly failWith?: Error,
  ) {}

  async read(request: HistoryRequest): Promise<HistoryData> {
    this.requests.push(request);
    if (this.failWith !== undefined) throw this.failWith;
    const firstDate = new Date(request.now.getTime() - (request.days - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const targets = request.targets.map((name): TargetHistory => {
      const target = this.data.targets.find((t) => t.target === name);
      if (target === undefined) return { target: name, current: null, days: [], incidents: [], recent: [] };
      return {
        ...target,
        days: request.days === 0 ? [] : target.days.filter((d) => d.date >= firstDate),
        incidents: target.incidents.slice(0, request.incidentLimit),
        recent: request.recent ? target.recent : [],
      };
    });
    return { synthetic: this.data.synthetic, targets };
  }
}
