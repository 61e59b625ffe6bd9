/**
 * One request on undici's dispatch API, its answer read into memory. An OTS answer is a few KiB, so the
 * stream and async-resource layers of undici's `request()` are only cost here (bench/RESULTS.md,
 * benchmark 3). At most MAX_BODY_BYTES are read: a larger declared length is refused before any body
 * arrives, a longer body is aborted where it passes the cap. The request's signal aborts it.
 */
import type { Dispatcher } from 'undici';
import {
  bodyTooBig,
  declaredTooBig,
  type Headers,
  MAX_BODY_BYTES,
  type SendRequest,
  type SentResponse,
} from './transport.js';

export function undiciRead(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  request: SendRequest,
): Promise<SentResponse> {
  if (request.signal.aborted) return Promise.reject(request.signal.reason);
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new ReadHandler(request, resolve, reject));
  });
}

const UTF8_BOM = 0xfeff;

class ReadHandler implements Dispatcher.DispatchHandler {
  readonly #request: SendRequest;
  readonly #resolve: (response: SentResponse) => void;
  readonly #reject: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #status = 0;
  #headers: Headers = {};
  #chunks: Buffer[] = [];
  #size = 0;
  /** Why this handler aborted the request (the body cap), so that is the error the call gets. */
  #failure: Error | undefined;
  readonly #onAbort = () => this.#controller?.abort(this.#request.signal.reason);

  constructor(
    request: SendRequest,
    resolve: (response: SentResponse) => void,
    reject: (error: unknown) => void,
  ) {
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
    request.signal.addEventListener('abort', this.#onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#request.signal.aborted) controller.abort(this.#request.signal.reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Headers): void {
    if (statusCode < 200) return; // 1xx: informational, the answer follows
    this.#status = statusCode;
    this.#headers = headers;
    const length = headers['content-length'];
    if (declaredTooBig(typeof length === 'string' ? length : undefined)) this.#abort(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > MAX_BODY_BYTES) this.#abort(controller);
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.#settle();
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.#size);
    const text = body === undefined ? '' : body.toString('utf8');
    // As undici's body.text(): a leading byte order mark is not part of the JSON.
    const json = text.charCodeAt(0) === UTF8_BOM ? text.slice(1) : text;
    this.#resolve({ status: this.#status, headers: this.#headers, text: json });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#settle();
    this.#reject(this.#failure ?? error);
  }

  #abort(controller: Dispatcher.DispatchController): void {
    if (this.#failure) return;
    this.#failure = bodyTooBig(this.#request.context);
    this.#chunks = [];
    controller.abort(this.#failure);
  }

  #settle(): void {
    this.#request.signal.removeEventListener('abort', this.#onAbort);
  }
}
