// The node's REST API, read from the same origin that serves the explorer.

/** An error answer of the API: `{code, codespace, message}` and its status. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** `GET /v1{path}` as JSON; a 4xx/5xx answer throws [`ApiError`]. */
export async function get<T>(path: string): Promise<T> {
  const response = await fetch(`/v1${path}`, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, (body as { message?: string }).message ?? response.statusText);
  }
  return body as T;
}

/** `get`, or `null` when the object does not exist (404). */
export async function find<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

let historyServed: Promise<boolean> | null = null;

/** Whether the node serves `/v1/history/…` (its indexer is on); asked once. */
export function historyEnabled(): Promise<boolean> {
  historyServed ??= find<{ enabled?: boolean }>('/history/status').then((s) => s !== null && s.enabled !== false, () => false);
  return historyServed;
}

/**
 * The items of a `/v1/history/…` route (docs/indexer.md), newest first, up
 * to `limit`; `null` when the node serves no history (its indexer is off),
 * `[]` when it has none for this object.
 */
export async function history<T>(path: string, limit = 1000): Promise<T[] | null> {
  if (!(await historyEnabled())) return null;
  const sep = path.includes('?') ? '&' : '?';
  const page = await find<{ items: T[] }>(`/history${path}${sep}limit=${limit}`);
  return page ? page.items : [];
}

/** A message of `WS /v1/subscribe`. */
export type NodeEvent =
  | { type: 'new_block'; height: number; hash: string; time: number; num_txs: number }
  | { type: 'tx_event'; height: number; tx_hash: string; event: ChainEvent }
  | { type: 'block_event'; height: number; event: ChainEvent }
  | { type: 'lagged'; missed: number };

/** An event as the chain emits it. */
export interface ChainEvent { kind: string; attributes: { key: string; value: string }[] }

/** Value of an event attribute, or `undefined`. */
export function attr(event: ChainEvent, key: string): string | undefined {
  return event.attributes.find((a) => a.key === key)?.value;
}

const listeners = new Set<(e: NodeEvent) => void>();
let socket: WebSocket | null = null;

/** Opens (once) the live feed; reconnects after a drop, with a pause. */
function connect(): void {
  if (socket) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/subscribe`;
  const ws = new WebSocket(url);
  socket = ws;
  const badge = document.getElementById('live');
  ws.onopen = () => badge?.classList.replace('off', 'on');
  ws.onmessage = (message) => {
    let event: NodeEvent;
    try {
      event = JSON.parse(String(message.data)) as NodeEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  };
  ws.onclose = () => {
    badge?.classList.replace('on', 'off');
    socket = null;
    setTimeout(connect, 2000);
  };
}

/** Calls `listener` for every live message until the returned function is called. */
export function subscribe(listener: (e: NodeEvent) => void): () => void {
  connect();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Status of the node. */
export interface Status {
  chain_id: string; moniker: string; latest_height: number; latest_block_time: number;
  latest_block_hash: string; app_hash: string; validator_count: number; mempool_size: number; peers: number;
}

/** A block. */
export interface Block {
  height: number; hash: string;
  header: { time: number; proposer: string; chain_id: string; prev_block_hash: string; app_hash: string };
  tx_hashes: string[]; txs: string[]; app_hash_after: string; events: ChainEvent[];
  certificate: { round: number; signers: string[] } | null;
}

/** A transaction's result. */
export interface Tx {
  hash: string; height: number; index: number; code: number; codespace: string; log: string;
  gas_wanted: number; gas_used: number; events: ChainEvent[]; tx: string;
}
