/**
 * The status function's read: each target's STATE item, which holds its latest check result. One
 * BatchGetItem for all targets, so a status request reads at most one item per target.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { logger } from '../powertools.js';
import { isStoredResult, type StoredResult } from './items.js';
import { STATE_SK, targetPk } from './keys.js';

/** The latest stored result per target name; a target without one (or with a malformed one) is absent. */
export async function readLatest(
  client: DynamoDBDocumentClient,
  table: string,
  targets: readonly string[],
): Promise<Map<string, StoredResult>> {
  const latest = new Map<string, StoredResult>();
  let keys: Record<string, unknown>[] | undefined = targets.map((target) => ({
    pk: targetPk(target),
    sk: STATE_SK,
  }));
  for (let attempt = 0; keys !== undefined && keys.length > 0; attempt += 1) {
    if (attempt > 3) throw new Error('The history table left keys unprocessed after 3 retries');
    const answer: BatchGetCommandOutput = await client.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: keys,
            ProjectionExpression: 'pk, #last',
            ExpressionAttributeNames: { '#last': 'last' },
          },
        },
      }),
    );
    for (const item of answer.Responses?.[table] ?? []) {
      const target = String(item.pk).slice(2);
      if (isStoredResult(item.last) && item.last.target === target) latest.set(target, item.last);
      else logger.warn('A stored status result is malformed: it is skipped', { target });
    }
    keys = answer.UnprocessedKeys?.[table]?.Keys;
  }
  return latest;
}
