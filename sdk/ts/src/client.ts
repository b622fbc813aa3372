/**
 * A client of a node's REST + WebSocket API, typed from its OpenAPI
 * document (`src/gen/openapi.ts`, generated from `openapi.json`), with a
 * local nonce manager.
 *
 * **Nonces.** A node admits a signer's transactions only in consecutive
 * nonce order (account nonce + the signer's transactions already waiting).
 * The client keeps each account's next nonce locally and admits one
 * account's transactions one after another (admission is fast; waiting for
 * commit happens outside that queue), so any number of parallel
 * `broadcast` calls from one account all succeed. When the node refuses a
 * nonce (another process used the account, a transaction was dropped), the
 * client resynchronises from `GET /v1/accounts/{address}` and signs again,
 * at most `maxNonceRetries` times, waiting for the next block between tries
 * so that the account's waiting transactions can commit.
 */
import type { components, paths } from "./gen/openapi.js";
import type { Message } from "./gen/fructus/tx/v1/tx_pb.js";
import { addressOf, base64Encode, type AddressLike, type Signer } from "./keys.js";
import { buildTx, type SignedTransaction, type TxOptions } from "./tx.js";

/** Schemas of the OpenAPI document. */
export type Schemas = components["schemas"];
/** `GET /v1/txs/{hash}`. */
export type TxView = Schemas["TxView"];
/** `GET /v1/accounts/{address}`. */
export type AccountView = Schemas["AccountView"];
/** One WebSocket message of `/v1/subscribe`. */
export type NodeEvent = Schemas["NodeEvent"];

type JsonOk<Op> = Op extends { responses: { 200: { content: { "application/json": infer R } } } } ? R : never;
/** Every path answering `GET` with JSON. */
export type GetPath = {
  [P in keyof paths]: paths[P] extends { get: infer Op } ? (JsonOk<Op> extends never ? never : P) : never;
}[keyof paths];
/** The JSON answer of `GET path`. */
export type GetResponse<P extends GetPath> = paths[P] extends { get: infer Op } ? JsonOk<Op> : never;
type Params<P extends GetPath> = paths[P] extends { get: { parameters: infer Prm } } ? Prm : never;
/** Path and query parameters of `GET path`. */
export type GetParams<P extends GetPath> = {
  path?: Params<P> extends { path?: infer X } ? X : never;
  query?: Params<P> extends { query?: infer X } ? X : never;
};

/** Codes of codespace `tx` that refuse a nonce (crates/app/src/error.rs). */
export const NONCE_TOO_LOW = 14;
export const NONCE_TOO_HIGH = 15;

/** An error answer of the API (`{code, codespace, message}` with its HTTP status). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    super(`${status} ${codespace}#${code}: ${message}`);
    this.name = "ApiRequestError";
  }

  /** Whether the node refused the transaction's nonce. */
  get isNonceRefusal(): boolean {
    return this.codespace === "tx" && (this.code === NONCE_TOO_LOW || this.code === NONCE_TOO_HIGH);
  }
}

/** A committed transaction that failed (its fee was still charged). */
export class TxFailedError extends Error {
  constructor(readonly tx: TxView) {
    super(`transaction ${tx.hash} failed at height ${tx.height}: ${tx.codespace}#${tx.code} ${tx.log}`);
    this.name = "TxFailedError";
  }
}

/** A WebSocket constructor (the browser's, Node 22's, or the `ws` package's). */
export type WebSocketLike = new (url: string) => {
  addEventListener(type: "message", listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: "open" | "close" | "error", listener: (ev: unknown) => void): void;
  close(code?: number): void;
  readonly readyState: number;
};

/** Settings of a [`FructusClient`]. */
export interface ClientOptions {
  /** The WebSocket implementation; default `globalThis.WebSocket`. */
  WebSocket?: WebSocketLike;
  /** Milliseconds a request may take; default 10,000. */
  requestTimeoutMs?: number;
  /** Milliseconds `wait` waits for a commit; default 30,000. */
  commitTimeoutMs?: number;
  /** Nonce refusals tolerated per broadcast before giving up; default 5. */
  maxNonceRetries?: number;
  /** Milliseconds between polls; default 200. */
  pollIntervalMs?: number;
}

/** What `broadcast` takes besides the signer and messages. */
export type BroadcastOptions = Omit<TxOptions, "chainId" | "nonce"> & {
  /** Wait until the transaction is committed (and throw if it failed). Default true. */
  wait?: boolean;
};

/** The outcome of a broadcast. */
export interface BroadcastResult {
  /** The signed transaction. */
  tx: SignedTransaction;
  /** The nonce it carries. */
  nonce: bigint;
  /** Its committed result, when waited for. */
  result?: TxView;
}

/** A WebSocket subscription's filter (`/v1/subscribe` query). */
export interface SubscribeFilter {
  /** Event kinds, exact (`bank.transfer`) or prefix (`bank.*`). */
  types?: string[];
  /** Events with an attribute equal to this address. */
  account?: string;
  /** Events of this asset. */
  asset?: string | number;
  /** Whether `new_block` messages are sent (default true). */
  blocks?: boolean;
}

/** An open subscription: a bounded queue of events. */
export class Subscription {
  private readonly queue: NodeEvent[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;
  /** Resolves once the socket is open. */
  readonly opened: Promise<void>;

  constructor(private readonly socket: InstanceType<WebSocketLike>, private readonly maxQueued = 10_000) {
    this.opened = new Promise((resolve, reject) => {
      socket.addEventListener("open", () => resolve());
      socket.addEventListener("error", (e) => reject(new Error(`WebSocket error: ${String((e as { message?: string }).message ?? e)}`)));
    });
    // Callers that never await `opened` still see errors through `waitFor`.
    this.opened.catch(() => undefined);
    socket.addEventListener("message", (ev) => {
      if (typeof ev.data !== "string") return;
      if (this.queue.length >= this.maxQueued) this.queue.shift();
      this.queue.push(JSON.parse(ev.data) as NodeEvent);
      this.wake();
    });
    socket.addEventListener("close", () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The first event (received or to come) that `predicate` accepts; it and the ones before it are consumed. */
  async waitFor<E extends NodeEvent = NodeEvent>(predicate: (e: NodeEvent) => boolean, timeoutMs = 30_000): Promise<E> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.queue.length > 0) {
        const e = this.queue.shift()!;
        if (predicate(e)) return e as E;
      }
      if (this.closed) throw new Error("the subscription was closed before the event came");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Closes the socket. */
  close(): void {
    this.closed = true;
    this.socket.close(1000);
    this.wake();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node's API. */
export class FructusClient {
  private readonly base: string;
  private readonly options: Required<Omit<ClientOptions, "WebSocket">> & Pick<ClientOptions, "WebSocket">;
  private chainId?: Promise<string>;
  private readonly accounts = new Map<string, { next?: bigint; tail: Promise<unknown> }>();

  constructor(url: string, options: ClientOptions = {}) {
    this.base = url.replace(/\/+$/, "");
    this.options = {
      requestTimeoutMs: 10_000,
      commitTimeoutMs: 30_000,
      maxNonceRetries: 5,
      pollIntervalMs: 200,
      ...options,
    };
  }

  private async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiRequestError(res.status, "api", 0, `not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) {
      const e = json as Partial<Schemas["ApiError"]>;
      throw new ApiRequestError(res.status, e.codespace ?? "api", e.code ?? 0, e.message ?? text.slice(0, 200));
    }
    return json as T;
  }

  /** `GET path`, typed by the OpenAPI document: `get("/v1/accounts/{address}", { path: { address } })`. */
  get<P extends GetPath>(path: P, params: GetParams<P> = {}): Promise<GetResponse<P>> {
    let url: string = path;
    for (const [k, v] of Object.entries((params.path ?? {}) as Record<string, unknown>)) {
      url = url.replace(`{${k}}`, encodeURIComponent(String(v)));
    }
    const query = Object.entries((params.query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (query.length > 0) url += "?" + new URLSearchParams(query.map(([k, v]) => [k, String(v)])).toString();
    return this.request("GET", url);
  }

  /** `GET /v1/status`. */
  status(): Promise<Schemas["StatusView"]> {
    return this.get("/v1/status");
  }

  /** The node's chain id (asked once). */
  getChainId(): Promise<string> {
    this.chainId ??= this.status().then(
      (s) => s.chain_id,
      (e: unknown) => {
        this.chainId = undefined;
        throw e;
      },
    );
    return this.chainId;
  }

  /** `GET /v1/accounts/{address}`. */
  account(address: AddressLike): Promise<AccountView> {
    return this.get("/v1/accounts/{address}", { path: { address: String(address) } });
  }

  /** `GET /v1/txs/{hash}`. */
  tx(hash: string): Promise<TxView> {
    return this.get("/v1/txs/{hash}", { path: { hash } });
  }

  /** `POST /v1/txs`: admits signed bytes (no wait). */
  submit(bytes: Uint8Array): Promise<Schemas["SubmitView"]> {
    return this.request("POST", "/v1/txs", { tx: base64Encode(bytes) });
  }

  /** `POST /v1/txs/simulate`: what the next block would record. */
  simulate(bytes: Uint8Array): Promise<Schemas["SimulateView"]> {
    return this.request("POST", "/v1/txs/simulate", { tx: base64Encode(bytes) });
  }

  /**
   * Polls `GET /v1/txs/{hash}` until committed and the node's queries read
   * its block; throws `TxFailedError` if it failed.
   */
  async waitForTx(hash: string, timeoutMs = this.options.commitTimeoutMs): Promise<TxView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const view = await this.tx(hash);
        if (view.code !== 0) throw new TxFailedError(view);
        // The result is indexed as its block commits; wait until the
        // node's queries read that block's state too.
        while ((await this.status()).latest_height < view.height) {
          if (Date.now() >= deadline) throw new Error(`the node's state did not reach height ${view.height} within ${timeoutMs} ms`);
          await sleep(this.options.pollIntervalMs);
        }
        return view;
      } catch (e) {
        if (!(e instanceof ApiRequestError && e.status === 404)) throw e;
      }
      if (Date.now() >= deadline) throw new Error(`transaction ${hash} not committed within ${timeoutMs} ms`);
      await sleep(this.options.pollIntervalMs);
    }
  }

  /** Submits signed bytes (a device reading, say) and, unless `wait` is false, waits for the commit. */
  async broadcastSigned(tx: SignedTransaction, wait = true): Promise<TxView | undefined> {
    await this.submit(tx.bytes);
    return wait ? this.waitForTx(tx.hash) : undefined;
  }

  /** Waits until the chain is past its current height. */
  private async nextBlock(): Promise<void> {
    const start = (await this.status()).latest_height;
    const deadline = Date.now() + this.options.commitTimeoutMs;
    while ((await this.status()).latest_height <= start) {
      if (Date.now() >= deadline) throw new Error(`no new block within ${this.options.commitTimeoutMs} ms`);
      await sleep(this.options.pollIntervalMs);
    }
  }

  /** Forgets an account's local nonce: the next broadcast asks the node. */
  resetNonce(address: AddressLike): void {
    const entry = this.accounts.get(String(address));
    if (entry) entry.next = undefined;
  }

  /**
   * Signs `messages` with the signer's next nonce and submits them; by
   * default waits for the commit. Parallel calls from one signer succeed:
   * see the module docs.
   */
  async broadcast(signer: Signer, messages: Message[], options: BroadcastOptions = {}): Promise<BroadcastResult> {
    const chainId = await this.getChainId();
    const address = addressOf(signer).toString();
    let entry = this.accounts.get(address);
    if (!entry) {
      entry = { tail: Promise.resolve() };
      this.accounts.set(address, entry);
    }
    const account = entry;
    const admitted = account.tail.then(async () => {
      for (let attempt = 0; ; attempt++) {
        if (account.next === undefined) account.next = BigInt((await this.account(address)).nonce);
        const nonce = account.next;
        const tx = await buildTx(signer, messages, { ...options, chainId, nonce });
        try {
          await this.submit(tx.bytes);
          account.next = nonce + 1n;
          return { tx, nonce };
        } catch (e) {
          if (!(e instanceof ApiRequestError && e.isNonceRefusal) || attempt >= this.options.maxNonceRetries) throw e;
          account.next = undefined;
          if (attempt > 0) await this.nextBlock();
        }
      }
    });
    account.tail = admitted.catch(() => undefined);
    const { tx, nonce } = await admitted;
    if (options.wait === false) return { tx, nonce };
    return { tx, nonce, result: await this.waitForTx(tx.hash) };
  }

  /** Opens `WS /v1/subscribe` with `filter`. */
  subscribe(filter: SubscribeFilter = {}): Subscription {
    const Ws = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketLike }).WebSocket;
    if (!Ws) throw new Error("no WebSocket implementation: pass ClientOptions.WebSocket (e.g. the `ws` package) on Node < 22");
    const q = new URLSearchParams();
    if (filter.types?.length) q.set("types", filter.types.join(","));
    if (filter.account) q.set("account", filter.account);
    if (filter.asset !== undefined) q.set("asset", String(filter.asset));
    if (filter.blocks !== undefined) q.set("blocks", String(filter.blocks));
    const query = q.toString();
    const url = this.base.replace(/^http/, "ws") + "/v1/subscribe" + (query ? `?${query}` : "");
    return new Subscription(new Ws(url));
  }
}
