// The least of undici the core could bundle: the Agent, the retry interceptor and the request API, by
// deep import (undici 7 has no `exports` map). Built only to measure the floor of a bundle that carries
// undici (bench/function-cold.ts); nothing runs it.

import request from 'undici/lib/api/api-request.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import retry from 'undici/lib/interceptor/retry.js';

export function get(origin, path) {
  return request.call(new Agent().compose(retry({})), { origin, path, method: 'GET' });
}
