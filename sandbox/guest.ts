/**
 * Guest-route gating (`site.interface.api.guest_routes.*`, docs/ots-api.md 2.1; 9.3):
 * anonymous calls to an operation the operator switched off answer 403 `GuestRoutesDisabled`. Calls
 * made with an account are never gated.
 */
import type { Caller } from './auth.js';
import type { RequestContext } from './http.js';
import type { GuestRoutes } from './types.js';
import { v2Send } from './v2-answers.js';

export type GuestOperation = Exclude<keyof GuestRoutes, 'enabled'>;

/** Sends the 403 and returns true when the operation is switched off for this anonymous caller. */
export function refuseDisabledGuest(
  ctx: RequestContext,
  switches: GuestRoutes,
  operation: GuestOperation | undefined,
  caller: Caller,
): boolean {
  if (operation === undefined || caller.kind === 'account') return false;
  if (switches.enabled === false) {
    v2Send(ctx, 403, {
      error: 'Guest API access is disabled',
      error_type: 'GuestRoutesDisabled',
      code: 'GUEST_ROUTES_DISABLED',
    });
    return true;
  }
  if (switches[operation] !== false) return false;
  v2Send(ctx, 403, {
    error: `Guest ${operation} is disabled`,
    error_type: 'GuestRoutesDisabled',
    code: `GUEST_${operation.toUpperCase()}_DISABLED`,
  });
  return true;
}
