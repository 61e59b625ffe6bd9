/**
 * The local DynamoDB for `npm start` and the tests: dynalite (the DynamoDB API over HTTP, in memory) on
 * loopback, with the history table created from the definition serverless.yml deploys (one source:
 * the `HistoryTable` resource is read from the file, not copied). The functions reach it through the
 * SDK's standard AWS_ENDPOINT_URL_DYNAMODB variable, with dummy credentials and a region.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { parse } from 'yaml';

const SERVERLESS_YML = new URL('../serverless.yml', import.meta.url);

/** The variables that point the SDK at a local store; dummy credentials, never real ones. */
export function localStoreEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}

interface Resources {
  Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
}

/** The HistoryTable resource's keys and billing, from serverless.yml, for CreateTable. */
export function historyTableDefinition(
  file: URL = SERVERLESS_YML,
): Omit<CreateTableCommandInput, 'TableName'> {
  const config = parse(readFileSync(file, 'utf8')) as { resources?: Resources[] };
  const table = (config.resources ?? [])
    .map((part) => part.Resources?.HistoryTable)
    .find((r) => r !== undefined);
  if (table?.Type !== 'AWS::DynamoDB::Table' || table.Properties === undefined) {
    throw new Error('serverless.yml defines no HistoryTable resource of type AWS::DynamoDB::Table');
  }
  const { AttributeDefinitions, KeySchema, BillingMode } = table.Properties as Omit<
    CreateTableCommandInput,
    'TableName'
  >;
  return { AttributeDefinitions, KeySchema, BillingMode };
}

/** The table name serverless.yml gives by default, for a stage: `onetime-kit-<stage>-history`. */
export function defaultTableName(stage = 'dev'): string {
  return `onetime-kit-${stage}-history`;
}

export async function createHistoryTable(endpoint: string, name: string): Promise<void> {
  const env = localStoreEnv(endpoint);
  const client = new DynamoDBClient({
    endpoint,
    region: env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(new CreateTableCommand({ TableName: name, ...historyTableDefinition() }));
  } finally {
    client.destroy();
  }
}

export interface LocalStore {
  endpoint: string;
  port: number;
  /** Answer every request with this DynamoDB error instead (throttling, say); undefined: serve. */
  fail(error?: { status: number; type: string; message: string }): void;
  stop(): Promise<void>;
}

export interface LocalStoreOptions {
  host?: string;
  /** 0 (the default): any free port. */
  port?: number;
  /** Sees each request's operation (`BatchGetItem`) and body, for counting what a caller reads. */
  observe?: (operation: string, body: string) => void;
}

/** dynalite in memory on `host:port`, tables made at once. */
export async function startLocalStore(options: LocalStoreOptions = {}): Promise<LocalStore> {
  const host = options.host ?? '127.0.0.1';
  const store = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  let failure: { status: number; type: string; message: string } | undefined;
  // dynalite's own handler behind a front that can answer errors, so faults need no mock of the SDK.
  const front = createServer((request, response) => {
    if (failure === undefined) {
      const observe = options.observe;
      if (observe !== undefined) {
        // A second 'data' listener sees the same chunks dynalite reads; it consumes nothing.
        const chunks: Buffer[] = [];
        const operation = String(request.headers['x-amz-target'] ?? '').replace(/^.*\./, '');
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => observe(operation, Buffer.concat(chunks).toString('utf8')));
      }
      store.emit('request', request, response);
      return;
    }
    request.resume();
    response.writeHead(failure.status, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(
      JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${failure.type}`,
        message: failure.message,
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (front.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    fail: (error) => {
      failure = error;
    },
    stop: async () => {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => store.close(() => resolve()));
    },
  };
}

export interface LocalHistory {
  store: LocalStore;
  table: string;
  /** What the functions get: the endpoint, dummy credentials, a region and OTS_HISTORY_TABLE. */
  env: Record<string, string>;
}

/**
 * `npm start`'s store: dynalite on a free loopback port with the history table (OTS_HISTORY_TABLE, or
 * serverless.yml's default name) created from serverless.yml's definition.
 */
export async function startLocalHistory(env: NodeJS.ProcessEnv = process.env): Promise<LocalHistory> {
  const table = env.OTS_HISTORY_TABLE?.trim() || defaultTableName();
  const store = await startLocalStore();
  try {
    await createHistoryTable(store.endpoint, table);
  } catch (error) {
    await store.stop();
    throw error;
  }
  return { store, table, env: { ...localStoreEnv(store.endpoint), OTS_HISTORY_TABLE: table } };
}
