// The bare handler a user might write instead: one status request with the runtime's fetch.
export const handler = async () => {
  const response = await fetch(`${process.env.BENCH_STATUS_URL}`);
  const body = await response.text();
  return { statusCode: response.status, body };
};
