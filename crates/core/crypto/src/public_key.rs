use std::fmt;

use p256::ecdsa::signature::Verifier as _;

use crate::{Address, CryptoError, KeyAlgo};

/// A verified-to-decode public key of one of the chain's algorithms.
///
/// Construction parses the point, so a `PublicKey` in hand is always usable;
/// equality and ordering follow `(algo, encoded bytes)`.
#[derive(Clone)]
pub enum PublicKey {
    /// Ed25519 verification key (32 bytes).
    Ed25519(ed25519_consensus::VerificationKey),
    /// P-256 verifying key (33-byte SEC1 compressed encoding on the wire).
    P256(p256::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// Parses a public key of `algo` from its wire bytes (ed25519: 32 bytes;
    /// P-256: SEC1, compressed 33 or uncompressed 65 bytes).
    ///
    /// Invariant: every key the chain registers or verifies with comes
    /// through here, so none is a small-order ed25519 point. Under ZIP-215
    /// such a key (e.g. `0100…00`, the identity) verifies a trivial
    /// signature over *any* message, so anyone could sign for it; it is
    /// refused with [`CryptoError::SmallOrderKey`]. P-256 has cofactor 1 and
    /// SEC1 cannot encode its identity, so every parsed P-256 key has prime
    /// order.
    pub fn from_bytes(algo: KeyAlgo, bytes: &[u8]) -> Result<Self, CryptoError> {
        let invalid = |reason: String| CryptoError::InvalidPublicKey { algo, reason };
        match algo {
            KeyAlgo::Ed25519 => {
                let key = ed25519_consensus::VerificationKey::try_from(bytes)
                    .map_err(|e| invalid(format!("{e} (got {} bytes)", bytes.len())))?;
                if is_small_order(key.as_bytes()) {
                    return Err(CryptoError::SmallOrderKey {
                        key: hex::encode(key.as_bytes()),
                    });
                }
                Ok(PublicKey::Ed25519(key))
            }
            KeyAlgo::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
                .map(PublicKey::P256)
                .map_err(|_| invalid(format!("not a SEC1 point ({} bytes)", bytes.len()))),
        }
    }

    /// The key's algorithm.
    pub fn algo(&self) -> KeyAlgo {
        match self {
            PublicKey::Ed25519(_) => KeyAlgo::Ed25519,
            PublicKey::P256(_) => KeyAlgo::P256,
        }
    }

    /// Canonical wire bytes (P-256 always compressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Ed25519(k) => k.as_bytes().to_vec(),
            PublicKey::P256(k) => k.to_encoded_point(true).as_bytes().to_vec(),
        }
    }

    /// Lower-case hex of [`PublicKey::to_bytes`].
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// The account address this key derives to.
    pub fn address(&self) -> Address {
        Address::from_public_key(self)
    }

    /// Verifies `signature` over `msg`. P-256 signatures must be low-S
    /// (`s <= n/2`); a high-S signature is refused even if it verifies.
    pub fn verify(&self, msg: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
        let algo = self.algo();
        let malformed = || CryptoError::MalformedSignature {
            algo,
            expected: algo.signature_len(),
            got: signature.len(),
        };
        match self {
            PublicKey::Ed25519(k) => {
                let sig =
                    ed25519_consensus::Signature::try_from(signature).map_err(|_| malformed())?;
                k.verify(&sig, msg)
                    .map_err(|_| CryptoError::BadSignature { algo })
            }
            PublicKey::P256(k) => {
                let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| malformed())?;
                // `(r, n - s)` verifies whenever `(r, s)` does: only the low-S
                // form is accepted, so nobody but the signer can make a
                // second valid signature (and so a second transaction hash).
                if sig.normalize_s().is_some() {
                    return Err(CryptoError::HighS);
                }
                k.verify(msg, &sig)
                    .map_err(|_| CryptoError::BadSignature { algo })
            }
        }
    }
}

/// Whether a 32-byte ed25519 encoding is a point of order dividing 8
/// (canonical or not: the y coordinate is reduced as ZIP-215 reduces it).
fn is_small_order(encoding: &[u8; 32]) -> bool {
    curve25519_dalek::edwards::CompressedEdwardsY(*encoding)
        .decompress()
        .is_some_and(|p| p.is_small_order())
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.algo() == other.algo() && self.to_bytes() == other.to_bytes()
    }
}
impl Eq for PublicKey {}

impl PartialOrd for PublicKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for PublicKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.algo(), self.to_bytes()).cmp(&(other.algo(), other.to_bytes()))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({}:{})", self.algo(), self.to_hex())
    }
}

impl borsh::BorshSerialize for PublicKey {
    fn serialize<W: std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        borsh::BorshSerialize::serialize(&self.algo().tag(), writer)?;
        borsh::BorshSerialize::serialize(&self.to_bytes(), writer)
    }
}

impl borsh::BorshDeserialize for PublicKey {
    fn deserialize_reader<R: std::io::Read>(reader: &mut R) -> std::io::Result<Self> {
        let tag = u8::deserialize_reader(reader)?;
        let bytes = Vec::<u8>::deserialize_reader(reader)?;
        let invalid = |e: CryptoError| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        let algo = KeyAlgo::from_tag(tag).map_err(invalid)?;
        PublicKey::from_bytes(algo, &bytes).map_err(invalid)
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct PublicKeyJson {
    algo: KeyAlgo,
    key: String,
}

impl serde::Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PublicKeyJson {
            algo: self.algo(),
            key: self.to_hex(),
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = PublicKeyJson::deserialize(d)?;
        let bytes = hex::decode(&json.key).map_err(serde::de::Error::custom)?;
        PublicKey::from_bytes(json.algo, &bytes).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;
    use crate::SigningKey;

    #[test]
    fn both_algorithms_sign_and_verify() {
        for algo in [KeyAlgo::Ed25519, KeyAlgo::P256] {
            let sk = SigningKey::from_seed(algo, &[3u8; 32]).unwrap();
            let pk = sk.public_key();
            let sig = sk.sign(b"hello");
            assert_eq!(sig.len(), 64);
            pk.verify(b"hello", &sig).unwrap();
            assert_eq!(
                pk.verify(b"hellp", &sig),
                Err(CryptoError::BadSignature { algo })
            );
            assert!(matches!(
                pk.verify(b"hello", &sig[..63]),
                Err(CryptoError::MalformedSignature { .. })
            ));
            let back = PublicKey::from_bytes(algo, &pk.to_bytes()).unwrap();
            assert_eq!(back, pk);
            assert_eq!(pk.to_bytes().len(), algo.public_key_len());
        }
    }

    #[test]
    fn a_high_s_p256_signature_is_refused_though_its_low_s_twin_verifies() {
        let sk = SigningKey::from_seed(KeyAlgo::P256, &[7u8; 32]).unwrap();
        let pk = sk.public_key();
        let low = sk.sign(b"reading");
        pk.verify(b"reading", &low).unwrap();
        let sig = p256::ecdsa::Signature::from_slice(&low).unwrap();
        let (r, s) = sig.split_scalars();
        let high = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
        assert!(high.normalize_s().is_some(), "the twin is the high-S form");
        assert_eq!(
            pk.verify(b"reading", &high.to_bytes()),
            Err(CryptoError::HighS)
        );
        let items = [crate::VerifyItem {
            key: &pk,
            msg: b"reading",
            sig: &high.to_bytes(),
        }];
        assert_eq!(crate::verify_batch(&items), vec![Err(CryptoError::HighS)]);
    }

    #[test]
    fn garbage_public_keys_are_refused() {
        assert!(PublicKey::from_bytes(KeyAlgo::Ed25519, &[1, 2, 3]).is_err());
        assert!(PublicKey::from_bytes(KeyAlgo::P256, &[9u8; 33]).is_err());
    }

    /// Encodings of the eight ed25519 points of order dividing 8, plus
    /// non-canonical encodings of the same points (y ≥ p, or x = 0 with the
    /// sign bit set) that ZIP-215 accepts.
    const SMALL_ORDER: [&str; 12] = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];

    #[test]
    fn small_order_ed25519_keys_are_refused() {
        for hex_key in SMALL_ORDER {
            let bytes = hex::decode(hex_key).unwrap();
            match PublicKey::from_bytes(KeyAlgo::Ed25519, &bytes) {
                Err(CryptoError::SmallOrderKey { .. }) => {}
                // A few non-canonical encodings do not decode at all.
                Err(CryptoError::InvalidPublicKey { .. }) => {}
                other => panic!("{hex_key} accepted: {other:?}"),
            }
        }
        let identity = hex::decode(SMALL_ORDER[0]).unwrap();
        assert!(matches!(
            PublicKey::from_bytes(KeyAlgo::Ed25519, &identity),
            Err(CryptoError::SmallOrderKey { .. })
        ));
        // Neither borsh nor JSON is a way around it.
        let mut b = vec![KeyAlgo::Ed25519.tag()];
        b.extend_from_slice(&borsh::to_vec(&identity).unwrap());
        assert!(borsh::from_slice::<PublicKey>(&b).is_err());
        let j = format!(r#"{{"algo":"ed25519","key":"{}"}}"#, SMALL_ORDER[0]);
        assert!(serde_json::from_str::<PublicKey>(&j).is_err());
    }

    #[test]
    fn the_identity_key_would_verify_a_trivial_signature_for_any_message() {
        // Why the refusal matters: ZIP-215 accepts (R = identity, s = 0)
        // for the identity key over every message.
        let vk = ed25519_consensus::VerificationKey::try_from(
            <[u8; 32]>::try_from(hex::decode(SMALL_ORDER[0]).unwrap()).unwrap(),
        )
        .unwrap();
        let mut sig = [0u8; 64];
        sig[0] = 1;
        let sig = ed25519_consensus::Signature::from(sig);
        assert!(vk.verify(&sig, b"any body").is_ok());
        assert!(vk.verify(&sig, b"another body").is_ok());
    }

    #[test]
    fn borsh_and_json_roundtrip() {
        for algo in [KeyAlgo::Ed25519, KeyAlgo::P256] {
            let pk = SigningKey::from_seed(algo, &[5u8; 32])
                .unwrap()
                .public_key();
            let b = borsh::to_vec(&pk).unwrap();
            assert_eq!(borsh::from_slice::<PublicKey>(&b).unwrap(), pk);
            let j = serde_json::to_string(&pk).unwrap();
            assert_eq!(serde_json::from_str::<PublicKey>(&j).unwrap(), pk);
        }
    }
}
