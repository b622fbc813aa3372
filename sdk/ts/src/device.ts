/**
 * The bytes a manufacturer or a device key signs outside transactions
 * (crates/modules/metering/src/sign_bytes.rs): `domain ‖ lp(chain_id) ‖ …`,
 * where `lp(x)` is one length byte then `x`, integers are u64 big-endian and
 * addresses their 20 bytes. The domains are prefix-free, so no signature
 * serves two purposes, and the chain id binds each consent to one chain.
 */
import { addressBytes, type AddressLike, type Signer } from "./keys.js";

const enc = new TextEncoder();
/** Manufacturer attestation of a device key. */
export const ATTESTATION_DOMAIN = enc.encode("fructus/device-attestation/v2");
/** A device key's consent to its own registration. */
export const REGISTRATION_DOMAIN = enc.encode("fructus/device-register/v1");
/** A new key's consent to a device-signed rotation. */
export const ROTATION_DOMAIN = enc.encode("fructus/device-rotate/v2");
/** A manufacturer's re-attestation lifting one tamper suspension. */
export const REATTESTATION_DOMAIN = enc.encode("fructus/device-reattest/v1");

class Writer {
  private parts: number[] = [];
  constructor(domain: Uint8Array, chainId: string) {
    this.raw(domain).field(enc.encode(chainId));
  }
  raw(bytes: Uint8Array): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }
  field(bytes: Uint8Array): this {
    if (bytes.length > 255) throw new Error(`a field is at most 255 bytes, got ${bytes.length}`);
    this.parts.push(bytes.length);
    return this.raw(bytes);
  }
  key(k: Pick<Signer, "keyType" | "publicKey">): this {
    this.parts.push(k.keyType);
    return this.field(k.publicKey);
  }
  u64(v: bigint | number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v));
    return this.raw(b);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

type Key = Pick<Signer, "keyType" | "publicKey">;

/** `ATTESTATION_DOMAIN ‖ lp(chain_id) ‖ key tag ‖ lp(key) ‖ class_id ‖ lp(serial)`. */
export function attestationBytes(chainId: string, deviceKey: Key, classId: bigint | number, serial: string): Uint8Array {
  return new Writer(ATTESTATION_DOMAIN, chainId).key(deviceKey).u64(classId).field(enc.encode(serial)).done();
}

/** `REGISTRATION_DOMAIN ‖ lp(chain_id) ‖ asset_id ‖ operator ‖ key tag ‖ lp(key)`. */
export function registrationBytes(chainId: string, assetId: bigint | number, operator: AddressLike, deviceKey: Key): Uint8Array {
  return new Writer(REGISTRATION_DOMAIN, chainId).u64(assetId).raw(addressBytes(operator)).key(deviceKey).done();
}

/** `ROTATION_DOMAIN ‖ lp(chain_id) ‖ device ‖ key tag ‖ lp(new key)`. */
export function rotationBytes(chainId: string, device: AddressLike, newKey: Key): Uint8Array {
  return new Writer(ROTATION_DOMAIN, chainId).raw(addressBytes(device)).key(newKey).done();
}

/** `REATTESTATION_DOMAIN ‖ lp(chain_id) ‖ device ‖ key tag ‖ lp(key) ‖ suspensions`. */
export function reattestationBytes(chainId: string, device: AddressLike, key: Key, suspensions: bigint | number): Uint8Array {
  return new Writer(REATTESTATION_DOMAIN, chainId).raw(addressBytes(device)).key(key).u64(suspensions).done();
}

/** The manufacturer's attestation of `deviceKey` (the factory provisioning step). */
export async function attest(chainId: string, manufacturer: Signer, deviceKey: Key, classId: bigint | number, serial: string): Promise<Uint8Array> {
  return manufacturer.sign(attestationBytes(chainId, deviceKey, classId, serial));
}

/** The device key's consent to being registered to `assetId` by `operator`. */
export async function registrationConsent(chainId: string, device: Signer, assetId: bigint | number, operator: AddressLike): Promise<Uint8Array> {
  return device.sign(registrationBytes(chainId, assetId, operator, device));
}
