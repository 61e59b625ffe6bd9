/**
 * dynalite for the tests: a fresh in-memory server on a free loopback port, the history table created
 * from serverless.yml's definition (scripts/local-store.ts), and the variables that point the functions'
 * real AWS SDK clients at it. Nothing here mocks the SDK.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  createHistoryTable,
  type LocalStore,
  localStoreEnv,
  startLocalStore,
} from '../../scripts/local-store.js';

export interface TestStore {
  local: LocalStore;
  table: string;
  /** OTS_HISTORY_TABLE plus the endpoint, region and dummy credentials. */
  env: Record<string, string>;
  client: DynamoDBDocumentClient;
  /** Every item of a target's partition, in key order. */
  items(target: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startTestStore(): Promise<TestStore> {
  const local = await startLocalStore();
  const table = `test-history-${randomBytes(4).toString('hex')}`;
  await createHistoryTable(local.endpoint, table);
  const env: Record<string, string> = { ...localStoreEnv(local.endpoint), OTS_HISTORY_TABLE: table };
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: local.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  return {
    local,
    table,
    env,
    client,
    async items(target) {
      const answer = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `T#${target}` },
        }),
      );
      return answer.Items ?? [];
    },
    async stop() {
      client.destroy();
      await local.stop();
    },
  };
}
