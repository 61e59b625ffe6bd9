/** A short, log-safe name for a store failure: the SDK error's name (it never carries item values). */
export function storeErrorKind(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message.slice(0, 80) : error.name;
  return 'unknown error';
}
