/**
 * What every HTTP handler does around its own work: Lambda context on the logs, and one place that turns
 * a failure into a JSON 500. A ConfigError's message names the variable and is safe to show; any other
 * error is logged and answered with a generic message and the request id to look it up.
 */
import type { Context } from 'aws-lambda';
import { ConfigError } from './config.js';
import { errorResponse, type HttpEvent, type HttpResult } from './http.js';
import { logger } from './powertools.js';

export type HttpWork = (event: HttpEvent, requestId: string) => Promise<HttpResult>;

export async function handleHttp(event: HttpEvent, context: Context, work: HttpWork): Promise<HttpResult> {
  logger.addContext(context);
  const requestId = context.awsRequestId;
  try {
    return await work(event, requestId);
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error('The function is misconfigured', { variable: error.variable, reason: error.message });
      return errorResponse(500, `Configuration error: ${error.message}`, requestId);
    }
    logger.error('Unexpected failure', { error });
    return errorResponse(500, 'Internal error: see the function logs for this request id.', requestId);
  }
}
