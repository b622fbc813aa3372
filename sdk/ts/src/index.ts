/**
 * The Fructus TypeScript SDK: wire types generated from `proto/`
 * (protobuf-es), ed25519 and P-256 signing (`@noble/curves`), transaction
 * building and decoding, device consents, and a REST + WebSocket client
 * with a local nonce manager. Every generated message type is re-exported
 * under `pb` (`pb.bank`, `pb.tx`, …).
 */
export * from "./keys.js";
export * from "./tx.js";
export * from "./msgs.js";
export * from "./device.js";
export * from "./client.js";
export * as pb from "./pb.js";
export type { paths, components } from "./gen/openapi.js";
export type { Message, TxBody, SignedTx, Fee } from "./gen/fructus/tx/v1/tx_pb.js";
export type { Coin } from "./gen/fructus/base/v1/coin_pb.js";
export type { PublicKey } from "./gen/fructus/crypto/v1/keys_pb.js";
