// Every message kind of the generated `fructus.tx.v1.Message` oneof has a
// typed helper whose message survives an encode/decode round trip; the
// address and number shortcuts refuse malformed input.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { MessageSchema } from "../src/gen/fructus/tx/v1/tx_pb.js";
import { Address, SigningKey, bankSend, coin, msgs, parseCoin, submitReading, type MessageCase } from "../src/index.js";

describe("message helpers", () => {
  const cases = MessageSchema.oneofs[0]!.fields.map((f) => f.localName as MessageCase);

  it("exist for every message kind of the oneof", () => {
    expect(cases).toContain("bankSend");
    expect(cases).toContain("meteringSubmitReading");
    expect(Object.keys(msgs).sort()).toEqual([...cases].sort());
  });

  it("build messages that decode to the same kind", () => {
    for (const c of cases) {
      const helper = msgs[c] as (v: object) => ReturnType<typeof bankSend>;
      const decoded = fromBinary(MessageSchema, toBinary(MessageSchema, helper({})));
      expect(decoded.sum.case).toBe(c);
    }
  });

  it("refuse malformed addresses, amounts and sequences", () => {
    const good = SigningKey.generate("ed25519").address.toString();
    expect(() => bankSend(good.toUpperCase(), [coin(1, "ufrx")])).toThrow(/lower-case/);
    expect(() => bankSend(good.slice(0, -1) + (good.endsWith("q") ? "p" : "q"), [])).toThrow();
    expect(() => Address.fromBytes(new Uint8Array(19))).toThrow(/20 bytes/);
    expect(() => coin(-1, "ufrx")).toThrow(/out of range/);
    expect(() => coin(1n << 128n, "ufrx")).toThrow(/out of range/);
    expect(() => parseCoin("ufrx")).toThrow(/amount then a denom/);
    expect(() => submitReading({ device: good, sequence: 0, counter: 1, timeMs: 1 })).toThrow(/start at 1/);
    expect(parseCoin("340282366920938463463374607431768211455ufrx").amount).toBe("340282366920938463463374607431768211455");
  });
});
