// A registered device signs a meter reading and sends it (readings carry
// nonce 0: the device's strictly increasing sequence is their replay
// protection), while a WebSocket subscription watches it being billed.
// FRUCTUS_NODE=… DEVICE_SECRET=<64 hex of the P-256 key> SEQUENCE=2 COUNTER=30 npx tsx examples/device-reading.ts
import WebSocket from "ws";
import { FructusClient, SigningKey, buildTx, submitReading, type WebSocketLike } from "../src/index.js";

const client = new FructusClient(process.env.FRUCTUS_NODE ?? "http://127.0.0.1:1317", {
  WebSocket: WebSocket as unknown as WebSocketLike,
});
const device = SigningKey.fromHex("p256", process.env.DEVICE_SECRET ?? "");
const sub = client.subscribe({ types: ["metering.reading"], blocks: false });
await sub.opened;
const reading = await buildTx(
  device,
  [submitReading({ device: device.address, sequence: BigInt(process.env.SEQUENCE ?? "1"), counter: BigInt(process.env.COUNTER ?? "0"), timeMs: Date.now() })],
  { chainId: await client.getChainId() },
);
await client.broadcastSigned(reading);
const event = await sub.waitFor((e) => e.type === "tx_event" && e.tx_hash === reading.hash, 30_000);
console.log("billed:", JSON.stringify(event));
sub.close();
