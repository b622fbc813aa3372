// Sends 1000ufrx: FRUCTUS_NODE=http://127.0.0.1:1317 SECRET=<64 hex> TO=fx1… npx tsx examples/send.ts
// (a devnet's test keys hold their secret in <home>/keyring-test/<name>.json).
import { FructusClient, SigningKey, bankSend, coin } from "../src/index.js";

const client = new FructusClient(process.env.FRUCTUS_NODE ?? "http://127.0.0.1:1317");
const sender = SigningKey.fromHex("ed25519", process.env.SECRET ?? "");
const { result } = await client.broadcast(sender, [bankSend(process.env.TO ?? "", [coin(1000, "ufrx")])]);
console.log(`sent in block ${result?.height}: ${result?.hash}`);
