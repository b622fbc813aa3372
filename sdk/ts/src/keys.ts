/**
 * Keys and addresses: ed25519 and ECDSA P-256 (secp256r1) signing keys,
 * their wire public keys, and bech32 `fx1…` addresses.
 *
 * The chain's rules (crates/core/crypto): ed25519 keys are 32 bytes and sign
 * the message itself; P-256 keys are 33-byte SEC1-compressed, sign SHA-256 of
 * the message with RFC 6979 nonces and must be low-S (`s <= n/2`), as 64-byte
 * `r ‖ s`. An address is the first 20 bytes of SHA-256(key-type tag ‖ public
 * key), bech32 with the prefix `fx`.
 */
import { create } from "@bufbuild/protobuf";
import { ed25519 } from "@noble/curves/ed25519";
import { p256 } from "@noble/curves/p256";
import { sha256 } from "@noble/hashes/sha256";
import { base64, bech32 } from "@scure/base";
import { KeyType, PublicKeySchema, type PublicKey } from "./gen/fructus/crypto/v1/keys_pb.js";

export { KeyType };

/** Human-readable prefix of every address. */
export const ADDRESS_PREFIX = "fx";
/** Length of an address in bytes. */
export const ADDRESS_LEN = 20;

/** A key algorithm by name, as the CLI and the REST API spell it. */
export type KeyAlgo = "ed25519" | "p256";

/** The wire tag of an algorithm (also the byte hashed in front of the key). */
export function keyTypeOf(algo: KeyAlgo): KeyType {
  return algo === "ed25519" ? KeyType.ED25519 : KeyType.P256;
}

/** The public key length of an algorithm. */
function publicKeyLength(type: KeyType): number {
  if (type === KeyType.ED25519) return 32;
  if (type === KeyType.P256) return 33;
  throw new Error(`unknown key type ${type}: expected ED25519 (1) or P256 (2)`);
}

/** A 20-byte account address. */
export class Address {
  private constructor(readonly bytes: Uint8Array) {}

  /** Parses `fx1…` (lower-case bech32, 20 bytes). */
  static parse(text: string): Address {
    if (text !== text.toLowerCase()) throw new Error(`bad address ${JSON.stringify(text)}: addresses are lower-case`);
    const { prefix, words } = bech32.decode(text as `${string}1${string}`, 90);
    if (prefix !== ADDRESS_PREFIX) throw new Error(`bad address ${JSON.stringify(text)}: prefix ${prefix}, expected ${ADDRESS_PREFIX}`);
    return Address.fromBytes(bech32.fromWords(words));
  }

  /** Wraps 20 raw bytes. */
  static fromBytes(bytes: Uint8Array): Address {
    if (bytes.length !== ADDRESS_LEN) throw new Error(`an address is ${ADDRESS_LEN} bytes, got ${bytes.length}`);
    return new Address(Uint8Array.from(bytes));
  }

  /** The address of a public key. */
  static fromPublicKey(type: KeyType, key: Uint8Array): Address {
    if (key.length !== publicKeyLength(type)) throw new Error(`a key of type ${type} is ${publicKeyLength(type)} bytes, got ${key.length}`);
    const preimage = new Uint8Array(key.length + 1);
    preimage[0] = type;
    preimage.set(key, 1);
    return new Address(sha256(preimage).slice(0, ADDRESS_LEN));
  }

  /** `fx1…`. */
  toString(): string {
    return bech32.encode(ADDRESS_PREFIX, bech32.toWords(this.bytes));
  }

  /** Whether both are the same address. */
  equals(other: Address): boolean {
    return this.bytes.length === other.bytes.length && this.bytes.every((b, i) => b === other.bytes[i]);
  }
}

/** An address given as `fx1…` text, an [`Address`] or its 20 bytes. */
export type AddressLike = string | Address | Uint8Array;

/** The 20 bytes of an address, as messages carry them. */
export function addressBytes(a: AddressLike): Uint8Array {
  if (typeof a === "string") return Address.parse(a).bytes;
  if (a instanceof Address) return a.bytes;
  return Address.fromBytes(a).bytes;
}

/** Anything that signs for an account: a software key or a secure element. */
export interface Signer {
  /** The key's algorithm. */
  readonly keyType: KeyType;
  /** The canonical public key bytes (32 ed25519, 33 compressed P-256). */
  readonly publicKey: Uint8Array;
  /** Signs `message` with the chain's rules (P-256: over its SHA-256, low-S). */
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** The wire form of a signer's public key. */
export function publicKeyProto(signer: Pick<Signer, "keyType" | "publicKey">): PublicKey {
  return create(PublicKeySchema, { type: signer.keyType, key: signer.publicKey });
}

/** The address of a signer. */
export function addressOf(signer: Pick<Signer, "keyType" | "publicKey">): Address {
  return Address.fromPublicKey(signer.keyType, signer.publicKey);
}

/** A software signing key (the 32 secret bytes stay in this object). */
export class SigningKey implements Signer {
  readonly keyType: KeyType;
  readonly publicKey: Uint8Array;
  readonly address: Address;

  private constructor(
    readonly algo: KeyAlgo,
    private readonly secret: Uint8Array,
  ) {
    this.keyType = keyTypeOf(algo);
    this.publicKey = algo === "ed25519" ? ed25519.getPublicKey(secret) : p256.getPublicKey(secret, true);
    this.address = Address.fromPublicKey(this.keyType, this.publicKey);
  }

  /** The key whose 32 secret bytes are `seed` (ed25519 seed or P-256 scalar). */
  static fromSeed(algo: KeyAlgo, seed: Uint8Array): SigningKey {
    if (seed.length !== 32) throw new Error(`a secret key is 32 bytes, got ${seed.length}`);
    if (algo === "p256" && !p256.utils.isValidPrivateKey(seed)) throw new Error("not a valid P-256 scalar: it must be non-zero and below the group order");
    return new SigningKey(algo, Uint8Array.from(seed));
  }

  /** Parses the 64 hex characters of a secret (as `fructus keys` stores a test key). */
  static fromHex(algo: KeyAlgo, hex: string): SigningKey {
    return SigningKey.fromSeed(algo, hexToBytes(hex));
  }

  /** A fresh random key. */
  static generate(algo: KeyAlgo): SigningKey {
    const seed = algo === "ed25519" ? ed25519.utils.randomPrivateKey() : p256.utils.randomPrivateKey();
    return new SigningKey(algo, seed);
  }

  /** Signs `message`: ed25519 over the message, P-256 over its SHA-256 (RFC 6979, low-S). */
  sign(message: Uint8Array): Uint8Array {
    if (this.algo === "ed25519") return ed25519.sign(message, this.secret);
    return p256.sign(sha256(message), this.secret, { lowS: true, prehash: false }).toCompactRawBytes();
  }

  /** The public key as the CLI prints it: `ed25519:<hex>` or `p256:<hex>`. */
  publicKeyText(): string {
    return `${this.algo}:${bytesToHex(this.publicKey)}`;
  }
}

/** Verifies a signature with the chain's rules (P-256 must be low-S). */
export function verify(type: KeyType, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  if (type === KeyType.ED25519) return ed25519.verify(signature, message, publicKey, { zip215: true });
  if (type === KeyType.P256) return p256.verify(signature, sha256(message), publicKey, { lowS: true, prehash: false });
  return false;
}

/** Lower-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of a hex string (either case). */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`not hex: ${JSON.stringify(hex.slice(0, 80))}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Standard base64 of bytes (as the REST API carries transactions). */
export function base64Encode(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Bytes of standard base64. */
export function base64Decode(text: string): Uint8Array {
  return base64.decode(text);
}
