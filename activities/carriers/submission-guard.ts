// The last check before a carrier request leaves this process: a page attempt's lease
// (activities/sending/lease.ts), read when undici is about to write the request on its socket
// (the handler's onConnect), not only when the page decided to send. A request that waited for a
// free connection, or whose process was frozen (SIGSTOP, a long GC pause, a VM freeze) between the
// page's check and the write, is aborted unsent once the lease has run out, so the retry that
// owns the message now is the only one to submit it (ToS 6.3.1: no blind resend). What remains is
// the synchronous instant between this check and the write system call. AsyncLocalStorage
// carries the check from the page through twilio-node's promise chain to our HTTP client.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DecoratorHandler, type Dispatcher } from 'undici';

const current = new AsyncLocalStorage<() => boolean>();
const GUARD = Symbol('submission guard');

/** The request was not written: the lease of the attempt that made it had run out. */
export class SubmissionFenced extends Error {
  readonly code = 'submission_fenced';
  constructor() {
    super('carrier request not sent: the page attempt lost its lease');
  }
}

/** Runs `fn` with every carrier request it makes checked by `allows` just before the write. */
export function withSubmissionGuard<T>(allows: () => boolean, fn: () => Promise<T>): Promise<T> {
  return current.run(allows, fn);
}

/** The request options, marked with the guard of the calling page attempt (if any). */
export function guarded<O extends object>(opts: O): O {
  const allows = current.getStore();
  return allows ? Object.assign(opts, { [GUARD]: allows }) : opts;
}

/** Passes every callback to the request's own handler (DecoratorHandler), but checks first at onConnect. */
class GuardHandler extends DecoratorHandler {
  constructor(
    private readonly allows: () => boolean,
    private readonly inner: Dispatcher.DispatchHandlers,
  ) {
    super(inner);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (!this.allows()) return abort(new SubmissionFenced());
    return this.inner.onConnect?.(abort);
  }
}

/** Interceptor of the carrier pools: requests marked by `guarded` are checked at onConnect. */
export const submissionGuard: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const allows = (opts as { [GUARD]?: () => boolean })[GUARD];
  return dispatch(opts, allows ? new GuardHandler(allows, handler) : handler);
};
