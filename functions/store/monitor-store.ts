/**
 * What the scheduled function writes to the history table, and the reads it needs to do so. Every state
 * change is one conditional Put of the target's STATE item (on its `version`) that carries the new
 * state, its announcements (the outbox) and the incident records it implies (the journal): a transition
 * is recorded whole or not at all, and of two runs at once only one records it. Single-item writes
 * only, no transactions: the journal is replayed idempotently, so a crash after the Put loses nothing.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TargetStatus } from '../../src/fetch.js';
import type { OpenIncident, Step } from '../monitor/state-machine.js';
import {
  type Announcement,
  type IncidentItem,
  type IncidentRecord,
  isStateItem,
  type StateItem,
  type StoredResult,
  sampleCode,
  toStoredResult,
} from './items.js';
import { checkSk, dayOf, daySk, expiresAt, incidentSk, STATE_SK, targetPk } from './keys.js';

export type StoredState = { kind: 'new' } | { kind: 'found'; item: StateItem } | { kind: 'malformed' };

export interface Commit {
  target: string;
  /** The version read; undefined for a target never stored. */
  version: number | undefined;
  /** Replace a malformed item whatever it holds. */
  overwrite?: boolean;
  step: Step;
  last: StoredResult;
  outbox: Announcement[];
  /** Incident records of an earlier commit not yet written (a crash between commit and journal). */
  journal: IncidentRecord[];
  leaseUntil?: number;
  now: string;
}

/** The incident records a step implies, in full, so writing them twice is harmless. */
export function journalOf(step: Step): IncidentRecord[] {
  const records = new Map<string, IncidentRecord>();
  for (const incident of step.opened) records.set(incident.id, recordOf(incident));
  const open = step.next.incident;
  if (open !== null && step.transitions.some((t) => t.kind === 'transition'))
    records.set(open.id, recordOf(open));
  for (const incident of step.closed) {
    records.set(incident.id, {
      ...recordOf(incident),
      end: incident.end,
      durationSeconds: incident.durationSeconds,
    });
  }
  return [...records.values()];
}

function recordOf(incident: OpenIncident): IncidentRecord {
  const { id, start, worst, firstMessage, lastMessage } = incident;
  return { id, start, worst, firstMessage, lastMessage };
}

export class MonitorStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #days: number;

  constructor(client: DynamoDBDocumentClient, table: string, days: number) {
    this.#client = client;
    this.#table = table;
    this.#days = days;
  }

  /** The STATE items of `targets` (strongly consistent: a transition is decided on them). */
  async readStates(targets: readonly string[]): Promise<Map<string, StoredState>> {
    const states = new Map<string, StoredState>(targets.map((target) => [target, { kind: 'new' }]));
    for (let i = 0; i < targets.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = targets
        .slice(i, i + 100)
        .map((t) => ({ pk: targetPk(t), sk: STATE_SK }));
      // BatchGet may answer part now and the rest as UnprocessedKeys (throttling): ask again for those.
      for (let attempt = 0; keys !== undefined && keys.length > 0; attempt += 1) {
        if (attempt > 5) throw new Error('The history table left keys unprocessed after 5 retries');
        const answer: BatchGetCommandOutput = await this.#client.send(
          new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of answer.Responses?.[this.#table] ?? []) {
          const target = String(item.pk).slice(2);
          states.set(target, isStateItem(item) ? { kind: 'found', item } : { kind: 'malformed' });
        }
        keys = answer.UnprocessedKeys?.[this.#table]?.Keys;
      }
    }
    return states;
  }

  /** Every check of the run (re-checks too), and each into its day's rollup. */
  async recordChecks(results: readonly TargetStatus[], run: string): Promise<void> {
    await Promise.all(results.map((result) => this.#recordCheck(result, run)));
  }

  /** The check and its rollup at once: they are different items. */
  async #recordCheck(result: TargetStatus, run: string): Promise<void> {
    const pk = targetPk(result.target);
    const stored = toStoredResult(result);
    const check = this.#client.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk,
          sk: checkSk(result.checkedAt, run),
          ...stored,
          expiresAt: expiresAt(result.checkedAt, this.#days),
        },
      }),
    );
    const day = dayOf(result.checkedAt);
    const secondOfDay = Math.floor((Date.parse(result.checkedAt) - Date.parse(`${day}T00:00:00Z`)) / 1000);
    const sample = [secondOfDay, result.latencyMs ?? -1, sampleCode(result.state)];
    const rollup = this.#client.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk, sk: daySk(day) },
        UpdateExpression:
          'ADD checks :one, #state :one SET samples = list_append(if_not_exists(samples, :empty), :sample), ' +
          '#target = :target, #date = :date, expiresAt = :expires',
        ExpressionAttributeNames: { '#state': result.state, '#target': 'target', '#date': 'date' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':empty': [],
          ':sample': [sample],
          ':target': result.target,
          ':date': day,
          ':expires': expiresAt(`${day}T00:00:00Z`, this.#days + 1),
        },
      }),
    );
    await Promise.all([check, rollup]);
  }

  /**
   * Writes the target's next state in one conditional Put on the version read: the new state, its
   * queued announcements and the incident records it implies (the journal) land together or not at
   * all. Resolves false when another run wrote first. The incident items are then written from the
   * journal (applyJournal), idempotently, by this run or, after a crash, by the next one.
   */
  async commit(commit: Commit): Promise<StateItem | undefined> {
    const { target, step, now } = commit;
    const item: StateItem = {
      pk: targetPk(target),
      sk: STATE_SK,
      target,
      ...step.next,
      // After the state: the write version must be the one this Put is conditional on, plus one.
      version: (commit.version ?? 0) + 1,
      last: commit.last,
      outbox: commit.outbox,
      journal: [...commit.journal, ...journalOf(step)],
      updatedAt: now,
    };
    if (commit.leaseUntil !== undefined) item.leaseUntil = commit.leaseUntil;
    const condition =
      commit.overwrite === true
        ? {}
        : commit.version === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': commit.version },
            };
    try {
      await this.#client.send(new PutCommand({ TableName: this.#table, Item: item, ...condition }));
      return item;
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw error;
    }
  }

  /** Writes the incident records a commit implied. SET only: a delivery recorded on one is kept. */
  async applyJournal(target: string, journal: readonly IncidentRecord[]): Promise<void> {
    for (const record of journal) {
      const values: Record<string, unknown> = {
        ':target': target,
        ':id': record.id,
        ':start': record.start,
        ':worst': record.worst,
        ':first': record.firstMessage,
        ':last': record.lastMessage,
      };
      let expression =
        'SET #target = :target, id = :id, #start = :start, worst = :worst, firstMessage = :first, lastMessage = :last';
      const names: Record<string, string> = { '#target': 'target', '#start': 'start' };
      if (record.end !== undefined) {
        expression += ', #end = :end, durationSeconds = :duration, expiresAt = :expires';
        names['#end'] = 'end';
        Object.assign(values, {
          ':end': record.end,
          ':duration': record.durationSeconds ?? 0,
          ':expires': expiresAt(record.end, this.#days),
        });
      }
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: targetPk(target), sk: incidentSk(record.id) },
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  }

  /**
   * After the journal is applied and a delivery tried: takes the accepted receivers off each
   * announcement (dropping those owed to no one), empties the journal and gives up the lease. Re-reads and retries when another run wrote the item in between.
   */
  async settle(
    target: string,
    accepted: (announcement: Announcement) => readonly string[],
    lease: number | undefined,
    applied: readonly IncidentRecord[],
  ): Promise<void> {
    const written = new Set(applied.map(recordKey));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const state = (await this.readStates([target])).get(target);
      if (state?.kind !== 'found') return;
      const { item } = state;
      const outbox = item.outbox
        .map((a) => {
          const done = accepted(a);
          return { ...a, owed: a.owed.filter((id) => !done.includes(id)) };
        })
        .filter((a) => a.owed.length > 0);
      // The lease is given up only if it is still this run's; journal entries only once written.
      const { leaseUntil, ...rest } = item;
      const keep = leaseUntil !== undefined && leaseUntil !== lease ? { leaseUntil } : {};
      const journal = item.journal.filter((record) => !written.has(recordKey(record)));
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...rest, ...keep, outbox, journal, version: item.version + 1 },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': item.version },
          }),
        );
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    throw new Error(`The outbox of ${target} changed 5 times while it was settled`);
  }

  /** How the latest delivery of an incident's announcements went, on the incident itself. */
  async recordDelivery(
    target: string,
    incidentId: string,
    delivery: IncidentItem['lastDelivery'],
  ): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: targetPk(target), sk: incidentSk(incidentId) },
        UpdateExpression: 'ADD deliveryAttempts :one SET lastDelivery = :delivery',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1, ':delivery': delivery },
      }),
    );
  }
}

const recordKey = (record: IncidentRecord): string => `${record.id}|${record.end ?? ''}|${record.worst}`;

/** A failed condition, or a transaction that lost to another one on the same item. */
export function isConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException' || error.name === 'TransactionConflictException')
    return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some(
    (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
  );
}
