/**
 * The DynamoDB document client, one per container, made on first use. The SDK is the one the Lambda
 * runtime provides (external in the bundles). It honours AWS_ENDPOINT_URL_DYNAMODB, so `npm start` and
 * the tests point it at dynalite without code of their own. Short timeouts and one retry: a store that
 * is down must cost a status request a moment, not the SDK's default backoff, before the live fallback.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return client;
}

/** Forgets the client (tests point the endpoint elsewhere between cases). */
export function resetClientForTests(): void {
  client?.destroy();
  client = undefined;
}
