// End-to-end against a devnet started by scripts/test.sh (FRUCTUS_API,
// FRUCTUS_HOME; 127.0.0.1 only): a bank send, an asset income claim, a
// device reading signed here and accepted on chain, a WebSocket
// subscription that sees it, parallel broadcasts from one account (and a
// resync after another client used it), and decoding a committed
// transaction from the registry without a signer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha256";
import WebSocket from "ws";
import {
  FructusClient,
  SigningKey,
  assetClaimIncome,
  assetDepositIncome,
  attest,
  base64Decode,
  bankSend,
  coin,
  decodeTx,
  msgs,
  registerDevice,
  registrationConsent,
  submitReading,
  buildTx,
  type KeyAlgo,
  type TxView,
  type WebSocketLike,
} from "../src/index.js";

const api = process.env.FRUCTUS_API;
const home = process.env.FRUCTUS_HOME;
if (!api || !home) throw new Error("run the devnet tests with scripts/test.sh (it sets FRUCTUS_API and FRUCTUS_HOME)");

/** A devnet account from its test keyring. */
function devnetKey(name: string): SigningKey {
  const file = JSON.parse(readFileSync(join(home!, "keyring-test", `${name}.json`), "utf8")) as { algo: KeyAlgo; secret: string };
  return SigningKey.fromHex(file.algo, file.secret);
}

/** The value of `key` in the first event of `kind`. */
function attr(tx: TxView | undefined, kind: string, key: string): string {
  const event = tx?.events.find((e) => e.kind === kind);
  const value = event?.attributes.find((a) => a.key === key)?.value;
  if (value === undefined) throw new Error(`no ${kind}.${key} in ${JSON.stringify(tx?.events)}`);
  return value;
}

function balance(view: { balances: Array<{ denom: string; amount: string }> }, denom: string): bigint {
  return BigInt(view.balances.find((b) => b.denom === denom)?.amount ?? "0");
}

const classMetadata = { metadataUri: "https://acme.example/sdk.json", metadataSha256: sha256(new TextEncoder().encode("sdk datasheet")) };
const client = new FructusClient(api, { WebSocket: WebSocket as unknown as WebSocketLike });
const alice = devnetKey("alice");
const bob = devnetKey("bob");
const carol = devnetKey("carol");
let chainId = "";

beforeAll(async () => {
  chainId = await client.getChainId();
});

describe("the SDK against a devnet", () => {
  let sendHash = "";

  it("sends tokens (bank send)", async () => {
    const to = SigningKey.generate("ed25519").address;
    const { result } = await client.broadcast(alice, [bankSend(to, [coin(1234, "ufrx")])]);
    expect(result?.code).toBe(0);
    sendHash = result!.hash;
    expect(balance(await client.account(to), "ufrx")).toBe(1234n);
  });

  it("decodes a committed transaction from the registry, with no signer or signing client", async () => {
    const view = await new FructusClient(api).tx(sendHash);
    const decoded = decodeTx(base64Decode(view.tx));
    expect(decoded.hash).toBe(sendHash);
    expect(decoded.signatureValid).toBe(true);
    expect(decoded.signer.toString()).toBe(alice.address.toString());
    const sum = decoded.body.messages[0]?.sum;
    expect(sum?.case).toBe("bankSend");
    if (sum?.case === "bankSend") expect(sum.value.amount[0]?.amount).toBe("1234");
  });

  it("broadcasts in parallel from one account, and resyncs after another client used it", async () => {
    const before = BigInt((await client.account(bob.address)).nonce);
    const targets = Array.from({ length: 8 }, () => SigningKey.generate("ed25519").address);
    const results = await Promise.all(targets.map((t) => client.broadcast(bob, [bankSend(t, [coin(1, "ufrx")])])));
    expect(results.map((r) => r.result?.code)).toEqual(targets.map(() => 0));
    expect(results.map((r) => r.nonce).sort((a, b) => Number(a - b))).toEqual(targets.map((_, i) => before + BigInt(i)));
    // Another client spends bob's next nonce: ours is now stale and is resynced.
    await new FructusClient(api).broadcast(bob, [bankSend(targets[0]!, [coin(1, "ufrx")])]);
    const again = await client.broadcast(bob, [bankSend(targets[1]!, [coin(1, "ufrx")])]);
    expect(again.result?.code).toBe(0);
    expect(again.nonce).toBe(before + BigInt(targets.length) + 1n);
  });

  it("does not use up a nonce when the node refuses a transaction", async () => {
    const next = BigInt((await client.account(carol.address)).nonce);
    const refused = client.broadcast(carol, [bankSend(bob.address, [coin(1, "ufrx")])], { fee: coin(1, "ufrx") });
    await expect(refused).rejects.toMatchObject({ codespace: "tx", status: 422 });
    const ok = await client.broadcast(carol, [bankSend(bob.address, [coin(1, "ufrx")])]);
    expect(ok.nonce).toBe(next);
    expect(ok.result?.code).toBe(0);
  });

  it("claims an asset's income", async () => {
    const cls = await client.broadcast(alice, [
      msgs.assetCreateClass({ name: "SDK chiller", manufacturer: "Acme", model: "C1", unit: "kWh", ...classMetadata }),
    ]);
    const classId = BigInt(attr(cls.result, "asset.create_class", "class_id"));
    const minted = await client.broadcast(alice, [msgs.assetMint({ classId, serial: "SDK-0001" })]);
    const assetId = BigInt(attr(minted.result, "asset.mint", "asset_id"));
    await client.broadcast(alice, [msgs.assetFractionalize({ assetId, shares: 10_000n })]);
    await client.broadcast(carol, [assetDepositIncome(assetId, coin(50_000, "ufrx"))]);
    const before = balance(await client.account(alice.address), "ufrx");
    const claim = await client.broadcast(alice, [assetClaimIncome([assetId])]);
    expect(attr(claim.result, "asset.income_claimed", "amount")).toBe("50000ufrx");
    const fee = 2_000n;
    expect(balance(await client.account(alice.address), "ufrx")).toBe(before + 50_000n - fee);
  });

  it("has a device reading signed in TypeScript accepted on chain, and a WebSocket subscription sees it", async () => {
    const device = SigningKey.generate("p256");
    const serial = "SDK-DEV-1";
    const cls = await client.broadcast(alice, [
      msgs.assetCreateClass({ name: "SDK meter", manufacturer: "Acme", model: "M1", unit: "kWh", ...classMetadata }),
    ]);
    const classId = BigInt(attr(cls.result, "asset.create_class", "class_id"));
    await client.broadcast(alice, [
      msgs.assetUpdateAttestationKeys({ classId, add: [{ type: alice.keyType, key: alice.publicKey }] }),
    ]);
    const minted = await client.broadcast(alice, [msgs.assetMint({ classId, serial })]);
    const assetId = BigInt(attr(minted.result, "asset.mint", "asset_id"));
    const attestation = await attest(chainId, alice, device, classId, serial);
    const consent = await registrationConsent(chainId, device, assetId, alice.address);
    await client.broadcast(alice, [
      registerDevice({ assetId, deviceKey: device, serial, attestation, consent }),
      bankSend(device.address, [coin(100_000, "ufrx")]),
    ]);
    const opened = await client.broadcast(alice, [
      msgs.meteringOpenContract({ assetId, customer: bob.address.bytes, price: coin(3, "ufrx"), perUnits: 2n }),
    ]);
    const contractId = BigInt(attr(opened.result, "metering.open_contract", "contract_id"));
    await client.broadcast(bob, [msgs.meteringAcceptContract({ contractId, deposit: coin(100_000, "ufrx") })]);

    const sub = client.subscribe({ types: ["metering.reading"], asset: assetId.toString(), blocks: false });
    try {
      await sub.opened;
      const now = BigInt(Math.max(Date.now(), (await client.status()).latest_block_time));
      for (const [sequence, counter] of [[1n, 10n], [2n, 30n]] as const) {
        const reading = await buildTx(device, [submitReading({ device: device.address, sequence, counter, timeMs: now + sequence })], { chainId });
        const view = await client.broadcastSigned(reading);
        expect(view?.code).toBe(0);
        expect(attr(view, "metering.reading", "sequence")).toBe(sequence.toString());
        const seen = await sub.waitFor((e) => e.type === "tx_event" && e.tx_hash === reading.hash, 30_000);
        expect(seen.type).toBe("tx_event");
      }
      const contract = await client.get("/v1/contracts/{contract}", { path: { contract: Number(contractId) } });
      // The baseline reading bills nothing; the second bills 20 units at 3 ufrx per 2.
      expect(contract.units).toBe(20);
      expect(contract.charged).toBe("30");
    } finally {
      sub.close();
    }
  });
});
