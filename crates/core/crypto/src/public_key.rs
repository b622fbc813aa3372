use std::fmt;

use crate::{Address, CryptoError, KeyAlgo, key_cache};

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
    ///
    /// Keys that parsed are remembered (see `key_cache`): the same bytes
    /// again return the same key without decompressing the point again.
    pub fn from_bytes(algo: KeyAlgo, bytes: &[u8]) -> Result<Self, CryptoError> {
        if let Some(key) = key_cache::get(algo, bytes) {
            return Ok(key);
        }
        let key = Self::parse(algo, bytes)?;
        key_cache::put(algo, bytes, &key);
        Ok(key)
    }

    /// [`PublicKey::from_bytes`] without the memo.
    fn parse(algo: KeyAlgo, bytes: &[u8]) -> Result<Self, CryptoError> {
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
                // The encoding rules above (64 bytes, `0 < r, s < n`, low-S)
                // are ours; the curve arithmetic is `ring`'s constant-time
                // assembly verifier (~5× the portable one), which takes the
                // key as an uncompressed SEC1 point and checks the same
                // ECDSA equation over SHA-256 of `msg`
                // (`p256_verifier_agrees_with_the_portable_one` pins this).
                let point = k.to_encoded_point(false);
                ring::signature::UnparsedPublicKey::new(
                    &ring::signature::ECDSA_P256_SHA256_FIXED,
                    point.as_bytes(),
                )
                .verify(msg, &sig.to_bytes())
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

impl PublicKey {
    /// Calls `f` with [`PublicKey::to_bytes`]'s bytes, without allocating
    /// them (every signer check compares keys).
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            PublicKey::Ed25519(k) => f(k.as_bytes()),
            PublicKey::P256(k) => f(k.to_encoded_point(true).as_bytes()),
        }
    }
}

/// Equal when of the same algorithm with the same wire bytes.
impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.algo() == other.algo() && self.with_bytes(|a| other.with_bytes(|b| a == b))
    }
}
impl Eq for PublicKey {}

impl PartialOrd for PublicKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
/// By algorithm, then by wire bytes.
impl Ord for PublicKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.algo()
            .cmp(&other.algo())
            .then_with(|| self.with_bytes(|a| other.with_bytes(|b| a.cmp(b))))
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
    fn keys_compare_by_algorithm_then_wire_bytes() {
        let keys: Vec<PublicKey> = [KeyAlgo::Ed25519, KeyAlgo::P256]
            .into_iter()
            .flat_map(|algo| {
                (1u8..7).map(move |seed| {
                    SigningKey::from_seed(algo, &[seed; 32])
                        .unwrap()
                        .public_key()
                })
            })
            .collect();
        for a in &keys {
            for b in &keys {
                let by_bytes = (a.algo(), a.to_bytes()).cmp(&(b.algo(), b.to_bytes()));
                assert_eq!(a.cmp(b), by_bytes, "{a:?} vs {b:?}");
                assert_eq!(a == b, by_bytes.is_eq(), "{a:?} vs {b:?}");
            }
            let parsed = PublicKey::from_bytes(a.algo(), &a.to_bytes()).unwrap();
            assert_eq!(&parsed, a);
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

    /// The verifier P-256 used before `ring` (RustCrypto's portable
    /// arithmetic), behind the same encoding rules: the reference the
    /// assembly verifier must agree with on every input.
    fn portable_p256_verify(
        key: &p256::ecdsa::VerifyingKey,
        msg: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        use p256::ecdsa::signature::Verifier as _;
        let algo = KeyAlgo::P256;
        let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| {
            CryptoError::MalformedSignature {
                algo,
                expected: algo.signature_len(),
                got: signature.len(),
            }
        })?;
        if sig.normalize_s().is_some() {
            return Err(CryptoError::HighS);
        }
        key.verify(msg, &sig)
            .map_err(|_| CryptoError::BadSignature { algo })
    }

    fn p256_key(seed: &[u8; 32]) -> (SigningKey, PublicKey, p256::ecdsa::VerifyingKey) {
        let sk = SigningKey::from_seed(KeyAlgo::P256, seed).unwrap();
        let pk = sk.public_key();
        let PublicKey::P256(vk) = pk.clone() else {
            unreachable!("a P-256 seed gives a P-256 key")
        };
        (sk, pk, vk)
    }

    fn assert_verifiers_agree(
        pk: &PublicKey,
        vk: &p256::ecdsa::VerifyingKey,
        msg: &[u8],
        sig: &[u8],
    ) {
        assert_eq!(
            pk.verify(msg, sig),
            portable_p256_verify(vk, msg, sig),
            "msg {} sig {}",
            hex::encode(msg),
            hex::encode(sig)
        );
    }

    /// The group order n of P-256, big-endian.
    const P256_N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];

    /// `n + delta` as 32 big-endian bytes (delta small, no wrap past 2^256).
    fn n_plus(delta: i64) -> [u8; 32] {
        let mut out = P256_N;
        let mut carry = delta;
        for byte in out.iter_mut().rev() {
            let v = i64::from(*byte) + carry;
            *byte = v.rem_euclid(256) as u8;
            carry = v.div_euclid(256);
        }
        out
    }

    /// `n / 2` (the largest low-S value) plus `delta`.
    fn half_n_plus(delta: i64) -> [u8; 32] {
        let mut half = [0u8; 32];
        let mut rem = 0u16;
        for (i, byte) in P256_N.iter().enumerate() {
            let cur = (rem << 8) | u16::from(*byte);
            half[i] = (cur / 2) as u8;
            rem = cur % 2;
        }
        let mut carry = delta;
        for byte in half.iter_mut().rev() {
            let v = i64::from(*byte) + carry;
            *byte = v.rem_euclid(256) as u8;
            carry = v.div_euclid(256);
        }
        half
    }

    #[test]
    fn p256_verifier_agrees_with_the_portable_one_on_edge_cases() {
        let (sk, pk, vk) = p256_key(&[11u8; 32]);
        let msg = b"edge";
        let good = sk.sign(msg);
        assert_verifiers_agree(&pk, &vk, msg, &good);
        assert!(pk.verify(msg, &good).is_ok());
        let (r, s) = good.split_at(32);
        let scalars: Vec<[u8; 32]> = vec![
            [0u8; 32],
            {
                let mut one = [0u8; 32];
                one[31] = 1;
                one
            },
            n_plus(-1),
            n_plus(0),
            n_plus(1),
            [0xff; 32],
            half_n_plus(0),
            half_n_plus(1),
        ];
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for x in &scalars {
            cases.push([x.as_slice(), s].concat());
            cases.push([r, x.as_slice()].concat());
            cases.push([x.as_slice(), x.as_slice()].concat());
        }
        // Wrong lengths, DER instead of fixed, empty.
        cases.push(Vec::new());
        cases.push(good[..63].to_vec());
        cases.push([good.as_slice(), &[0]].concat());
        let der = p256::ecdsa::Signature::from_slice(&good).unwrap().to_der();
        cases.push(der.as_bytes().to_vec());
        // The high-S twin.
        let sig = p256::ecdsa::Signature::from_slice(&good).unwrap();
        let (sr, ss) = sig.split_scalars();
        cases.push(
            p256::ecdsa::Signature::from_scalars(sr, -*ss)
                .unwrap()
                .to_bytes()
                .to_vec(),
        );
        for case in &cases {
            assert_verifiers_agree(&pk, &vk, msg, case);
            assert!(
                pk.verify(msg, case).is_err(),
                "accepted {}",
                hex::encode(case)
            );
        }
        // Both boundary scalars of the low-S rule.
        assert_eq!(
            pk.verify(msg, &[r, half_n_plus(1).as_slice()].concat()),
            Err(CryptoError::HighS)
        );
        assert_eq!(
            pk.verify(msg, &[r, half_n_plus(0).as_slice()].concat()),
            Err(CryptoError::BadSignature {
                algo: KeyAlgo::P256
            })
        );
    }

    #[test]
    fn identity_and_off_curve_p256_keys_never_reach_the_verifier() {
        let (_, pk, _) = p256_key(&[12u8; 32]);
        let mut off_curve = pk.to_bytes();
        // The x coordinate of a valid compressed key, other parity, is on the
        // curve; change x instead until it is not a point.
        let refused = (0u8..=255).any(|b| {
            off_curve[32] = b;
            PublicKey::from_bytes(KeyAlgo::P256, &off_curve).is_err()
        });
        assert!(refused, "some x has no point on the curve");
        assert!(PublicKey::from_bytes(KeyAlgo::P256, &[0u8]).is_err());
        assert!(PublicKey::from_bytes(KeyAlgo::P256, &[0u8; 33]).is_err());
        let mut uncompressed = vec![4u8];
        uncompressed.extend_from_slice(&[0u8; 64]);
        assert!(PublicKey::from_bytes(KeyAlgo::P256, &uncompressed).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        #[test]
        fn p256_verifier_agrees_with_the_portable_one(
            seed in proptest::array::uniform32(proptest::prelude::any::<u8>()),
            other in proptest::array::uniform32(proptest::prelude::any::<u8>()),
            msg in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            flip_at in 0usize..64,
            flip in 1u8..=255,
            random_sig in proptest::array::uniform32(proptest::prelude::any::<u8>()),
        ) {
            proptest::prop_assume!(SigningKey::from_seed(KeyAlgo::P256, &seed).is_ok());
            let (sk, pk, vk) = p256_key(&seed);
            let good = sk.sign(&msg);
            proptest::prop_assert!(pk.verify(&msg, &good).is_ok());
            assert_verifiers_agree(&pk, &vk, &msg, &good);
            // A flipped bit anywhere in the signature.
            let mut tampered = good.clone();
            tampered[flip_at] ^= flip;
            assert_verifiers_agree(&pk, &vk, &msg, &tampered);
            proptest::prop_assert!(pk.verify(&msg, &tampered).is_err());
            // Another message, another key, random bytes.
            let mut other_msg = msg.clone();
            other_msg.push(flip);
            assert_verifiers_agree(&pk, &vk, &other_msg, &good);
            if SigningKey::from_seed(KeyAlgo::P256, &other).is_ok() {
                let (_, other_pk, other_vk) = p256_key(&other);
                assert_verifiers_agree(&other_pk, &other_vk, &msg, &good);
            }
            let noise = [random_sig.as_slice(), random_sig.as_slice()].concat();
            assert_verifiers_agree(&pk, &vk, &msg, &noise);
        }
    }

    proptest::proptest! {
        /// The memo never changes what a parse returns: random encodings
        /// of either length under either algorithm, each parsed twice
        /// (the second time from the memo if the first parsed), agree with
        /// a parse that bypasses it, refusal for refusal.
        #[test]
        fn remembered_keys_are_exactly_what_a_parse_returns(
            seed in proptest::prelude::any::<[u8; 32]>(),
            raw in proptest::collection::vec(proptest::prelude::any::<u8>(), 31..=34),
        ) {
            let mut inputs = vec![raw];
            for algo in [KeyAlgo::Ed25519, KeyAlgo::P256] {
                if let Ok(key) = SigningKey::from_seed(algo, &seed) {
                    inputs.push(key.public_key().to_bytes());
                }
            }
            for bytes in &inputs {
                for algo in [KeyAlgo::Ed25519, KeyAlgo::P256] {
                    let direct = PublicKey::parse(algo, bytes);
                    for _ in 0..2 {
                        let via_memo = PublicKey::from_bytes(algo, bytes);
                        match (&direct, &via_memo) {
                            (Ok(a), Ok(b)) => proptest::prop_assert!(
                                a == b && b.algo() == algo,
                                "{algo:?} {}", hex::encode(bytes)
                            ),
                            (Err(a), Err(b)) => proptest::prop_assert_eq!(a, b),
                            _ => proptest::prop_assert!(
                                false,
                                "{algo:?} {}: {direct:?} vs {via_memo:?}",
                                hex::encode(bytes)
                            ),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_remembered_key_is_never_returned_for_the_other_algorithm_or_a_refused_encoding() {
        // A valid ed25519 key, remembered...
        let ed = SigningKey::from_seed(KeyAlgo::Ed25519, &[7u8; 32])
            .unwrap()
            .public_key()
            .to_bytes();
        assert!(PublicKey::from_bytes(KeyAlgo::Ed25519, &ed).is_ok());
        assert_eq!(
            key_cache::get(KeyAlgo::Ed25519, &ed).map(|k| k.to_bytes()),
            Some(ed.clone()),
            "a key that parsed is remembered"
        );
        // ...is not a P-256 key of the same bytes.
        assert!(PublicKey::from_bytes(KeyAlgo::P256, &ed).is_err());
        // A small-order key is refused every time, never remembered.
        let identity = hex::decode(SMALL_ORDER[0]).unwrap();
        for _ in 0..2 {
            assert!(matches!(
                PublicKey::from_bytes(KeyAlgo::Ed25519, &identity),
                Err(CryptoError::SmallOrderKey { .. })
            ));
        }
        assert!(key_cache::get(KeyAlgo::Ed25519, &identity).is_none());
    }

    #[test]
    fn the_memo_stays_bounded_by_emptying_a_full_shard() {
        // Keys whose encodings start with the same low nibble share a
        // shard; one more than it holds empties it first.
        let mut same_shard = Vec::new();
        let mut seed = 0u64;
        while same_shard.len() <= key_cache::PER_SHARD {
            seed += 1;
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            let key = SigningKey::from_seed(KeyAlgo::Ed25519, &bytes)
                .unwrap()
                .public_key()
                .to_bytes();
            if key[0] & 0x0f == 0x03 {
                same_shard.push(key);
            }
        }
        for key in &same_shard {
            PublicKey::from_bytes(KeyAlgo::Ed25519, key).unwrap();
        }
        let kept = same_shard
            .iter()
            .filter(|k| key_cache::get(KeyAlgo::Ed25519, k).is_some())
            .count();
        assert!(kept <= key_cache::PER_SHARD, "{kept} kept");
        assert!(
            key_cache::get(KeyAlgo::Ed25519, same_shard.last().unwrap()).is_some(),
            "the newest key is kept"
        );
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
