/**
 * ioredis's own errors for a command that never reached a Redis able to run it: no connection
 * after the reconnect attempts a command may wait (MaxRetriesPerRequestError), every cluster node
 * refusing the slot map (ClusterAllFailedError). (Its AbortError is known by its message below:
 * the name is also that of Node's own, an aborted fetch or stream, which is no Redis trouble.)
 */
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

/** What ioredis says when there is no connection to send a command on, or the one it was on closed. */
const UNAVAILABLE_MESSAGES = [
  /^Command aborted due to connection close$/,
  /^Cluster is ended\.$/,
  /^Connection is closed\.$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^Cluster isn't ready and enableOfflineQueue options is false$/,
  /^None of startup nodes is available$/,
  /^Cluster is disconnected\.$/,
  /^Node is disconnected$/,
  /^Command timed out$/,
  /^Too many Cluster redirections\./,
];

/**
 * Replies of a Redis that is there but cannot serve just now: a cluster with a slot uncovered
 * or a failover under way, a replica answering writes (READONLY) before the client follows the
 * new master, a node still loading its data, a script running past its time (BUSY).
 */
const UNAVAILABLE_REPLIES = /^(CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|LOADING|BUSY) /;

/**
 * Whether an error means Redis could not be reached or could not serve the command just now:
 * the request may well succeed a moment later, so it is answered 503 with Retry-After, not 500
 * (answerOf). A reply error of a command Redis ran and refused (a script's own error, a wrong
 * type) is not one: Redis answered.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  if (error.name === 'ReplyError') return UNAVAILABLE_REPLIES.test(error.message);
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}
