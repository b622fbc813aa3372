/**
 * A typed constructor for every message kind, derived from the generated
 * `fructus.tx.v1.Message` oneof (so a message added to `proto/` gets its
 * helper on regeneration), plus shortcuts that take `fx1…` addresses and
 * plain numbers for the most common messages.
 *
 * ```ts
 * msgs.bankSend({ to: addressBytes("fx1…"), amount: [coin(5, "ufrx")] });
 * bankSend("fx1…", [coin(5, "ufrx")]); // the same message
 * ```
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import type { Coin } from "./gen/fructus/base/v1/coin_pb.js";
import { MessageSchema, type Message } from "./gen/fructus/tx/v1/tx_pb.js";
import { addressBytes, publicKeyProto, type AddressLike, type Signer } from "./keys.js";

type Sum = Message["sum"];
/** The oneof case of every message kind (`bankSend`, `assetClaimIncome`, …). */
export type MessageCase = Exclude<Sum["case"], undefined>;
/** The message type of a case. */
export type MessageValue<C extends MessageCase> = Extract<Sum, { case: C }>["value"];
/** What a case's helper accepts: the message's fields (all optional). */
export type MessageInit<C extends MessageCase> = MessageInitShape<GenMessage<MessageValue<C>>>;
/** One helper per message kind. */
export type MessageHelpers = { readonly [C in MessageCase]: (value: MessageInit<C>) => Message };

const oneof = MessageSchema.oneofs[0];
if (!oneof) throw new Error("fructus.tx.v1.Message has no oneof: regenerate src/gen");

/** `msgs.<case>(fields)`: the `Message` of that kind. */
export const msgs: MessageHelpers = Object.freeze(
  Object.fromEntries(
    oneof.fields.map((field) => [
      field.localName,
      (value: unknown) => create(MessageSchema, { sum: { case: field.localName, value } } as MessageInitShape<typeof MessageSchema>),
    ]),
  ),
) as MessageHelpers;

/** The oneof case of a message (`undefined` for an empty one). */
export function messageCase(msg: Message): MessageCase | undefined {
  return msg.sum.case;
}

/** `bank/send`. */
export function bankSend(to: AddressLike, amount: Coin[]): Message {
  return msgs.bankSend({ to: addressBytes(to), amount });
}

/** `asset/claim_income` of the given assets. */
export function assetClaimIncome(assetIds: Array<bigint | number>): Message {
  return msgs.assetClaimIncome({ assetIds: assetIds.map((id) => BigInt(id)) });
}

/** `asset/deposit_income`: pays `amount` to the holders of `assetId`'s shares. */
export function assetDepositIncome(assetId: bigint | number, amount: Coin): Message {
  return msgs.assetDepositIncome({ assetId: BigInt(assetId), amount });
}

/** One meter reading. */
export interface Reading {
  /** The device's address (its account). */
  device: AddressLike;
  /** Strictly increasing sequence, from 1. */
  sequence: bigint | number;
  /** Cumulative counter. */
  counter: bigint | number;
  /** Device clock, ms since the epoch. */
  timeMs: bigint | number;
  /** Tamper 1 | fault 2. */
  flags?: number;
}

/** Reading flag: tampering detected. */
export const FLAG_TAMPER = 1;
/** Reading flag: a fault (the reading still counts). */
export const FLAG_FAULT = 2;

/** `metering/submit_reading` (signed by the device key; nonce 0). */
export function submitReading(r: Reading): Message {
  if (BigInt(r.sequence) === 0n) throw new Error("reading sequences start at 1");
  return msgs.meteringSubmitReading({
    device: addressBytes(r.device),
    sequence: BigInt(r.sequence),
    counter: BigInt(r.counter),
    timeMs: BigInt(r.timeMs),
    flags: r.flags ?? 0,
  });
}

/** `metering/register_device`: `attestation` from the manufacturer, `consent` from the device key. */
export function registerDevice(args: {
  assetId: bigint | number;
  deviceKey: Pick<Signer, "keyType" | "publicKey">;
  serial: string;
  attestation: Uint8Array;
  counter?: bigint | number;
  consent: Uint8Array;
}): Message {
  return msgs.meteringRegisterDevice({
    assetId: BigInt(args.assetId),
    deviceKey: publicKeyProto(args.deviceKey),
    serial: args.serial,
    attestation: args.attestation,
    counter: BigInt(args.counter ?? 0),
    deviceSignature: args.consent,
  });
}
