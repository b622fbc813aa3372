// Decodes the chain's transactions (protobuf, proto/fructus/tx/v1/tx.proto)
// into plain objects named by the wire schema, which the build reads from
// proto/ (vite.config.ts). 20-byte `bytes` fields are addresses and are
// shown as bech32 `fx1…`; other bytes as hex.
import schema from 'virtual:proto-schema';

interface Field { name: string; type: string; repeated: boolean }
type Schema = Record<string, Record<number, Field>>;
const SCHEMA = schema as Schema;

export type Decoded = { [key: string]: DecodedValue };
export type DecodedValue = string | number | boolean | Decoded | DecodedValue[];

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  done(): boolean { return this.pos >= this.buf.length; }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i];
  }
  return chk;
}

/** bech32 (BIP-173) encoding of `data` under the human-readable part `hrp`. */
export function bech32(hrp: string, data: Uint8Array): string {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of data) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >>> 5)
    .concat([0], [...hrp].map((c) => c.charCodeAt(0) & 31));
  const mod = polymod(expanded.concat(words, [0, 0, 0, 0, 0, 0])) ^ 1;
  const checksum = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${words.concat(checksum).map((w) => CHARSET[w]).join('')}`;
}

export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function scalar(type: string, wire: number, r: Reader): DecodedValue {
  if (wire === 0) {
    const v = r.varint();
    if (type === 'bool') return v !== 0n;
    if (type === 'sint64' || type === 'sint32') return ((v >> 1n) ^ -(v & 1n)).toString();
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (wire === 2) {
    const bytes = r.bytes();
    if (type === 'string') return new TextDecoder().decode(bytes);
    if (SCHEMA[type]) return decodeMessage(type, bytes);
    if (bytes.length === 20) return bech32('fx', bytes);
    return hex(bytes);
  }
  if (wire === 1) {
    const view = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 8);
    r.pos += 8;
    return view.getBigUint64(0, true).toString();
  }
  const view = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 4);
  r.pos += 4;
  return view.getUint32(0, true);
}

/** Decodes `bytes` as the message `type` (package-qualified). */
export function decodeMessage(type: string, bytes: Uint8Array): Decoded {
  const fields = SCHEMA[type] ?? {};
  const out: Decoded = {};
  const r = new Reader(bytes);
  while (!r.done()) {
    const key = Number(r.varint());
    const number = key >>> 3;
    const wire = key & 7;
    const field = fields[number];
    if (!field) {
      r.skip(wire);
      continue;
    }
    const value = scalar(field.type, wire, r);
    if (field.repeated) {
      const list = (out[field.name] as DecodedValue[] | undefined) ?? [];
      list.push(value);
      out[field.name] = list;
    } else {
      out[field.name] = value;
    }
  }
  return out;
}

/** One message of a transaction: its kind (`bank_send`) and fields. */
export interface TxMessage { kind: string; fields: Decoded }

/** A decoded transaction: body fields and its messages. */
export interface DecodedTx { body: Decoded; messages: TxMessage[]; signature: string }

/** Decodes a `SignedTx` given as base64 (the `tx` field of `/v1/txs/{hash}`). */
export function decodeTx(base64: string): DecodedTx {
  const signed = new Reader(fromBase64(base64));
  let body: Uint8Array = new Uint8Array();
  let signature = '';
  while (!signed.done()) {
    const key = Number(signed.varint());
    if (key >>> 3 === 1 && (key & 7) === 2) body = signed.bytes();
    else if (key >>> 3 === 2 && (key & 7) === 2) signature = hex(signed.bytes());
    else signed.skip(key & 7);
  }
  const decoded = decodeMessage('fructus.tx.v1.TxBody', body);
  const messages = ((decoded.messages as Decoded[] | undefined) ?? []).map((m) => {
    const [kind, fields] = Object.entries(m)[0] ?? ['unknown', {}];
    return { kind, fields: fields as Decoded };
  });
  delete decoded.messages;
  return { body: decoded, messages, signature };
}
