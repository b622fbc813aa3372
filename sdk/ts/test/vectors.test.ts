// The shared conformance vectors (sdk/vectors/tx.json, written and checked
// by crates/client/tests/ts_sdk_vectors.rs): the SDK rebuilds every key,
// address, body, sign bytes, signature, signed transaction, hash and device
// consent byte for byte, and decodes every transaction from the registry.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  Address,
  SigningKey,
  assetClaimIncome,
  assetDepositIncome,
  attest,
  attestationBytes,
  bankSend,
  buildTx,
  bytesToHex,
  coin,
  decodeTx,
  hexToBytes,
  registerDevice,
  registrationBytes,
  registrationConsent,
  signBytes,
  submitReading,
  verify,
  type KeyAlgo,
  type Message,
} from "../src/index.js";

interface CoinJson {
  denom: string;
  amount: string;
}
type MsgJson = { type: string } & Record<string, unknown>;
interface TxJson {
  name: string;
  signer: string;
  nonce: number;
  gas_limit: number;
  fee: CoinJson;
  payer?: string;
  timeout_height?: number;
  memo?: string;
  messages: MsgJson[];
  body: string;
  sign_bytes: string;
  signature: string;
  signed_tx: string;
  hash: string;
}
const vectors = JSON.parse(readFileSync(new URL("../../vectors/tx.json", import.meta.url), "utf8")) as {
  chain_id: string;
  keys: Array<{ name: string; algo: KeyAlgo; seed: string; public_key: string; address: string }>;
  txs: TxJson[];
};
const chainId = vectors.chain_id;
const keys = new Map(vectors.keys.map((k) => [k.name, SigningKey.fromHex(k.algo, k.seed)]));
const keyOf = (name: unknown) => {
  const k = keys.get(String(name));
  if (!k) throw new Error(`no vector key ${String(name)}`);
  return k;
};
const c = (j: CoinJson) => coin(j.amount, j.denom);

async function messageOf(m: MsgJson): Promise<Message> {
  switch (m.type) {
    case "bank_send":
      return bankSend(String(m.to), (m.amount as CoinJson[]).map(c));
    case "asset_claim_income":
      return assetClaimIncome(m.asset_ids as number[]);
    case "asset_deposit_income":
      return assetDepositIncome(m.asset_id as number, c(m.amount as CoinJson));
    case "metering_submit_reading":
      return submitReading({
        device: String(m.device),
        sequence: m.sequence as number,
        counter: m.counter as number,
        timeMs: m.time_ms as number,
        flags: m.flags as number,
      });
    case "metering_register_device": {
      const device = keyOf(m.device_key);
      const manufacturer = keyOf(m.manufacturer_key);
      const att = attestationBytes(chainId, device, m.class_id as number, String(m.serial));
      expect(bytesToHex(att)).toBe(m.attestation_bytes);
      const attestation = await attest(chainId, manufacturer, device, m.class_id as number, String(m.serial));
      expect(bytesToHex(attestation)).toBe(m.attestation);
      const operator = manufacturer.address;
      expect(bytesToHex(registrationBytes(chainId, m.asset_id as number, operator, device))).toBe(m.consent_bytes);
      const consent = await registrationConsent(chainId, device, m.asset_id as number, operator);
      expect(bytesToHex(consent)).toBe(m.consent);
      return registerDevice({
        assetId: m.asset_id as number,
        deviceKey: device,
        serial: String(m.serial),
        attestation,
        counter: m.counter as number,
        consent,
      });
    }
    default:
      throw new Error(`vector message type ${m.type} has no builder in this test: add it`);
  }
}

describe("conformance vectors shared with the Rust encoder", () => {
  it("derives every key's public key and address", () => {
    for (const k of vectors.keys) {
      const key = keyOf(k.name);
      expect(bytesToHex(key.publicKey)).toBe(k.public_key);
      expect(key.address.toString()).toBe(k.address);
      expect(Address.parse(k.address).equals(key.address)).toBe(true);
    }
  });

  for (const v of vectors.txs) {
    it(`rebuilds ${v.name} byte for byte`, async () => {
      const signer = keyOf(v.signer);
      const messages = await Promise.all(v.messages.map(messageOf));
      const tx = await buildTx(signer, messages, {
        chainId,
        nonce: v.nonce,
        gasLimit: v.gas_limit,
        fee: c(v.fee),
        payer: v.payer,
        timeoutHeight: v.timeout_height,
        memo: v.memo,
      });
      expect(bytesToHex(tx.bodyBytes)).toBe(v.body);
      expect(bytesToHex(signBytes(chainId, tx.bodyBytes))).toBe(v.sign_bytes);
      expect(bytesToHex(tx.signature)).toBe(v.signature);
      expect(bytesToHex(tx.bytes)).toBe(v.signed_tx);
      expect(tx.hash).toBe(v.hash);
    });

    it(`decodes ${v.name} from the registry alone and verifies it`, () => {
      const decoded = decodeTx(hexToBytes(v.signed_tx));
      expect(decoded.hash).toBe(v.hash);
      expect(decoded.signatureValid).toBe(true);
      expect(decoded.signer.equals(keyOf(v.signer).address)).toBe(true);
      expect(decoded.body.chainId).toBe(chainId);
      expect(decoded.body.nonce).toBe(BigInt(v.nonce));
      expect(decoded.body.messages.map((m) => m.sum.case)).toHaveLength(v.messages.length);
    });
  }

  it("refuses a signature on another chain id and a high-S P-256 twin", () => {
    const p256 = [...keys.values()].find((k) => k.algo === "p256")!;
    const msg = new TextEncoder().encode("reading");
    const sig = p256.sign(msg);
    expect(verify(p256.keyType, p256.publicKey, msg, sig)).toBe(true);
    // (r, n - s) verifies under plain ECDSA but the chain accepts only low-S.
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const s = BigInt("0x" + bytesToHex(sig.slice(32)));
    const high = new Uint8Array(64);
    high.set(sig.slice(0, 32));
    high.set(hexToBytes((n - s).toString(16).padStart(64, "0")), 32);
    expect(verify(p256.keyType, p256.publicKey, msg, high)).toBe(false);
    const tx = vectors.txs[0]!;
    const other = signBytes("fructus-other", hexToBytes(tx.body));
    expect(verify(keyOf(tx.signer).keyType, keyOf(tx.signer).publicKey, other, hexToBytes(tx.signature))).toBe(false);
  });
});
