/**
 * What every HTTP handler does around its own work: Lambda context on the logs, and one place that turns
 * a failure into a JSON 500. A ConfigError is answered naming the variable (never a value); any other
 * error is logged and answered with a generic message and the request id to look it up.
 */
import type { Context } from 'aws-lambda';
import { ConfigError } from './config.js';
import './cold-start.js';
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
      // The variable, never its value: the reason (which may quote a value) is in the log.
      return errorResponse(500, configurationProblem(error), requestId);
    }
    logger.error('Unexpected failure', { error });
    return errorResponse(500, 'Internal error: see the function logs for this request id.', requestId);
  }
}

/** What an answer says of a bad configuration: the variable, and where the reason is. */
export function configurationProblem(error: ConfigError): string {
  return `Configuration error: ${error.variable} is not valid. The function's log says why.`;
}
