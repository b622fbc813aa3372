// Claims the income an asset's shares accrued: FRUCTUS_NODE=… SECRET=<64 hex> ASSET=1 npx tsx examples/claim-income.ts
import { FructusClient, SigningKey, assetClaimIncome } from "../src/index.js";

const client = new FructusClient(process.env.FRUCTUS_NODE ?? "http://127.0.0.1:1317");
const holder = SigningKey.fromHex("ed25519", process.env.SECRET ?? "");
const assetId = BigInt(process.env.ASSET ?? "1");
const pending = await client.get("/v1/assets/{asset}/pending/{address}", {
  path: { asset: Number(assetId), address: holder.address.toString() },
});
console.log("pending before the claim:", pending);
const { result } = await client.broadcast(holder, [assetClaimIncome([assetId])]);
const claimed = result?.events.find((e) => e.kind === "asset.income_claimed");
console.log("claimed:", claimed?.attributes.find((a) => a.key === "amount")?.value ?? "nothing");
