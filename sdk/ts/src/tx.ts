/**
 * Transactions: the body, the exact bytes a signer signs, the signed
 * envelope, its hash, and decoding from the generated registry.
 *
 * The signed bytes are `"fructus/tx/v1" ‖ u8 len(chain_id) ‖ chain_id ‖
 * body`, where `body` is the protobuf encoding of `TxBody` exactly as sent
 * in `SignedTx.body`. A transaction's hash is the upper-case hex SHA-256 of
 * the `SignedTx` bytes; the node accepts only canonical encodings, which is
 * what protobuf-es writes (fields in number order, defaults omitted).
 */
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha256";
import { CoinSchema, type Coin } from "./gen/fructus/base/v1/coin_pb.js";
import {
  FeeSchema,
  MessageSchema,
  SignedTxSchema,
  TxBodySchema,
  type Message,
  type SignedTx,
  type TxBody,
} from "./gen/fructus/tx/v1/tx_pb.js";
import { Address, addressBytes, bytesToHex, publicKeyProto, verify, type AddressLike, type Signer } from "./keys.js";

/** Domain string in front of every transaction's signed bytes. */
export const SIGN_DOMAIN = new TextEncoder().encode("fructus/tx/v1");
/** Longest chain id, in bytes. */
export const MAX_CHAIN_ID_LEN = 48;
/** Default gas limit of a simple transaction. */
export const DEFAULT_GAS_LIMIT = 200_000n;
/** Default minimum price: 10 ufrx per 1,000 gas (the genesis default). */
export const DEFAULT_PRICE_PER_KGAS = 10n;
/** The native denom. */
export const NATIVE_DENOM = "ufrx";

/** An amount of a denom; `amount` is a base-10 integer up to 2^128-1. */
export function coin(amount: bigint | number | string, denom: string): Coin {
  const value = BigInt(amount);
  if (value < 0n || value >= 1n << 128n) throw new Error(`amount ${value} is out of range 0..2^128-1`);
  return create(CoinSchema, { denom, amount: value.toString() });
}

/** Parses `1500ufrx` (amount then denom). */
export function parseCoin(text: string): Coin {
  const m = /^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(text.trim());
  if (!m) throw new Error(`bad coin ${JSON.stringify(text)}: expected an amount then a denom, e.g. 1500ufrx`);
  return coin(m[1]!, m[2]!);
}

/** Gas limit × the default minimum gas price, in ufrx, rounded up. */
export function defaultFee(gasLimit: bigint = DEFAULT_GAS_LIMIT): Coin {
  return coin((gasLimit * DEFAULT_PRICE_PER_KGAS + 999n) / 1000n, NATIVE_DENOM);
}

/** What a transaction carries besides its messages and signer. */
export interface TxOptions {
  /** The chain id (replay protection across chains). */
  chainId: string;
  /** The signer account's next nonce (0 for device readings). */
  nonce?: bigint | number;
  /** The fee; default: gas limit × the default minimum price in ufrx. */
  fee?: Coin;
  /** Gas limit; default 200,000. */
  gasLimit?: bigint | number;
  /** Who pays the fee through a fee grant, if not the signer. */
  payer?: AddressLike;
  /** Refuse the transaction above this height (0 = never). */
  timeoutHeight?: bigint | number;
  /** Free text. */
  memo?: string;
}

/** Checks a chain id: 1 to 48 bytes of `a-z 0-9 - _ .`. */
export function validateChainId(chainId: string): void {
  if (!/^[a-z0-9_.-]{1,48}$/.test(chainId)) {
    throw new Error(`invalid chain id ${JSON.stringify(chainId)}: 1-48 characters of a-z 0-9 - _ .`);
  }
}

/** The body of a transaction of `messages` signed by `signer`. */
export function txBody(
  signer: Pick<Signer, "keyType" | "publicKey">,
  messages: Message[],
  options: TxOptions,
): TxBody {
  validateChainId(options.chainId);
  if (messages.length === 0) throw new Error("a transaction carries at least one message");
  const gasLimit = BigInt(options.gasLimit ?? DEFAULT_GAS_LIMIT);
  return create(TxBodySchema, {
    chainId: options.chainId,
    signer: publicKeyProto(signer),
    nonce: BigInt(options.nonce ?? 0),
    fee: create(FeeSchema, {
      amount: options.fee ?? defaultFee(gasLimit),
      gasLimit,
      payer: options.payer === undefined ? new Uint8Array() : addressBytes(options.payer),
    }),
    timeoutHeight: BigInt(options.timeoutHeight ?? 0),
    memo: options.memo ?? "",
    messages,
  });
}

/** The exact bytes a signer signs for `body` (encoded) on `chainId`. */
export function signBytes(chainId: string, body: Uint8Array): Uint8Array {
  const id = new TextEncoder().encode(chainId);
  if (id.length > 255) throw new Error("chain id longer than 255 bytes");
  const out = new Uint8Array(SIGN_DOMAIN.length + 1 + id.length + body.length);
  out.set(SIGN_DOMAIN, 0);
  out[SIGN_DOMAIN.length] = id.length;
  out.set(id, SIGN_DOMAIN.length + 1);
  out.set(body, SIGN_DOMAIN.length + 1 + id.length);
  return out;
}

/** A signed transaction: the bytes to broadcast and their hash. */
export interface SignedTransaction {
  /** The `SignedTx` bytes. */
  bytes: Uint8Array;
  /** Upper-case hex SHA-256 of `bytes` (what the node calls the tx hash). */
  hash: string;
  /** The encoded body that was signed. */
  bodyBytes: Uint8Array;
  /** The signature. */
  signature: Uint8Array;
}

/** Upper-case hex SHA-256 of signed-transaction bytes. */
export function txHash(signedTx: Uint8Array): string {
  return bytesToHex(sha256(signedTx)).toUpperCase();
}

/** Encodes `body`, signs it and wraps both in a `SignedTx`. */
export async function signTx(signer: Signer, body: TxBody): Promise<SignedTransaction> {
  const bodyBytes = toBinary(TxBodySchema, body);
  const signature = await signer.sign(signBytes(body.chainId, bodyBytes));
  if (signature.length !== 64) throw new Error(`a signature is 64 bytes, the signer gave ${signature.length}`);
  const bytes = toBinary(SignedTxSchema, create(SignedTxSchema, { body: bodyBytes, signature }));
  return { bytes, hash: txHash(bytes), bodyBytes, signature };
}

/** Builds and signs a transaction of `messages` in one step. */
export function buildTx(signer: Signer, messages: Message[], options: TxOptions): Promise<SignedTransaction> {
  return signTx(signer, txBody(signer, messages, options));
}

/** A transaction decoded without any key or client. */
export interface DecodedTx {
  /** The upper-case hex hash. */
  hash: string;
  /** The envelope. */
  signed: SignedTx;
  /** The decoded body. */
  body: TxBody;
  /** The signer's address. */
  signer: Address;
  /** Whether the signature verifies over the body for `body.chainId`. */
  signatureValid: boolean;
}

/** Decodes signed-transaction bytes with the generated registry. */
export function decodeTx(bytes: Uint8Array): DecodedTx {
  const signed = fromBinary(SignedTxSchema, bytes);
  const body = fromBinary(TxBodySchema, signed.body);
  if (!body.signer) throw new Error("transaction has no signer public key");
  const signer = Address.fromPublicKey(body.signer.type, body.signer.key);
  const signatureValid = verify(body.signer.type, body.signer.key, signBytes(body.chainId, signed.body), signed.signature);
  return { hash: txHash(bytes), signed, body, signer, signatureValid };
}

/** A `Message` from its oneof case and value (see `msgs` for typed helpers). */
export function message(init: MessageInitShape<typeof MessageSchema>): Message {
  return create(MessageSchema, init);
}
