//! Regulator-only records, client side: sealing a plaintext so that every
//! current regulator (and nobody else) can read it, opening it with a
//! regulator's key, and checking a disclosed plaintext against the record.
//! No state: the CLI (`fructus records decrypt`) and any SDK use this.
//!
//! # Construction (all from maintained crates, nothing hand-rolled)
//!
//! - A fresh random 32-byte *salt* `r` and the public commitment
//!   `commitment = SHA-256("fructus/records/v1/commitment" ‖ r ‖ plaintext)`
//!   ([`record_commitment`]). The salt makes the commitment useless for
//!   confirming a guessed plaintext offline (short or templated documents);
//!   it travels inside the ciphertext, so every reader learns it, and is
//!   disclosed together with the document to prove it matches.
//! - A fresh random 32-byte *content key* and a random 24-byte nonce;
//!   `ciphertext = XChaCha20-Poly1305(content key, nonce, r ‖ plaintext, aad)`
//!   with `aad = "fructus/records/v1/payload" ‖ len(kind) ‖ kind ‖ subject ‖
//!   commitment`.
//! - For each regulator X25519 key: a fresh ephemeral X25519 key, the shared
//!   secret (refused if not contributory, i.e. a low-order key), then
//!   `kwk = HKDF-SHA256(salt = ephemeral pub ‖ recipient pub, ikm = shared,
//!   info = "fructus/records/v1/kwk")`, and
//!   `wrapped = XChaCha20-Poly1305(kwk, random nonce, content key, aad)` with
//!   `aad = "fructus/records/v1/wrap" ‖ len(kind) ‖ kind ‖ subject ‖
//!   regulator ‖ commitment` — so a wrapped key cannot be moved to
//!   another record, subject or regulator.
//!
//! Anyone given a plaintext *and its salt* can check them against
//! `commitment` ([`verify_integrity`]); without the salt nobody can. KYC
//! attestations commit to their off-chain file the same way, under their
//! own domain ([`kyc_file_commitment`]). The chain itself only checks
//! sizes and that the recipient set equals the current regulators' keys (it
//! cannot check a wrapping without a secret key, so a regulator that cannot
//! open a record knows its submitter from the chain). That check comes too
//! late to protect the plaintext: a node that served its own key as a
//! regulator's would have read the record before the chain refused it. So
//! the client seals only to keys it proved against a header it verified
//! itself (`fructus-light`; the CLI's `store-record`).

use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use fructus_types::Address;
use hkdf::Hkdf;
use rand_core::{CryptoRng, RngCore};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Largest plaintext a record may carry.
pub const MAX_PLAINTEXT_BYTES: usize = 32 * 1024;
/// Poly1305 tag length added by the AEAD.
pub const TAG_BYTES: usize = 16;
/// Length of the commitment salt sealed in front of the plaintext.
pub const SALT_BYTES: usize = 32;
/// Smallest ciphertext a record may carry (salt, one byte, tag).
pub const MIN_CIPHERTEXT_BYTES: usize = SALT_BYTES + 1 + TAG_BYTES;
/// Largest ciphertext a record may carry.
pub const MAX_CIPHERTEXT_BYTES: usize = SALT_BYTES + MAX_PLAINTEXT_BYTES + TAG_BYTES;
/// XChaCha20-Poly1305 nonce length.
pub const NONCE_BYTES: usize = 24;
/// Length of a wrapped content key (32-byte key + tag).
pub const WRAPPED_KEY_BYTES: usize = 32 + TAG_BYTES;
/// Longest record kind.
pub const MAX_KIND_LEN: usize = 32;

const PAYLOAD_DOMAIN: &[u8] = b"fructus/records/v1/payload";
const WRAP_DOMAIN: &[u8] = b"fructus/records/v1/wrap";
const KWK_INFO: &[u8] = b"fructus/records/v1/kwk";
const POSSESSION_DOMAIN: &[u8] = b"fructus/records/v1/key-possession";
const RECORD_COMMITMENT_DOMAIN: &[u8] = b"fructus/records/v1/commitment";
const KYC_COMMITMENT_DOMAIN: &[u8] = b"fructus/kyc/v1/file-commitment";

/// One regulator's copy of a record's content key.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct WrappedKey {
    /// The regulator it is for.
    #[schema(value_type = String)]
    pub regulator: Address,
    /// The regulator's X25519 public key it was wrapped to.
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_array")]
    #[schema(value_type = String)]
    pub recipient_pubkey: [u8; 32],
    /// The sender's one-time X25519 public key.
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_array")]
    #[schema(value_type = String)]
    pub ephemeral_pubkey: [u8; 32],
    /// The AEAD-encrypted content key.
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_array")]
    #[schema(value_type = String)]
    pub wrapped_content_key: [u8; WRAPPED_KEY_BYTES],
    /// The wrapping nonce.
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_array")]
    #[schema(value_type = String)]
    pub nonce: [u8; NONCE_BYTES],
}

/// A record as sealed by its sender: everything that goes on chain.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct SealedRecord {
    /// Short token: `kyc_file`, `credit_report`, `carbon_report`, ...
    pub kind: String,
    /// The account the record is about.
    #[schema(value_type = String)]
    pub subject: Address,
    /// The encrypted payload.
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_vec")]
    #[schema(value_type = String)]
    pub ciphertext: Vec<u8>,
    /// The payload nonce.
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_array")]
    #[schema(value_type = String)]
    pub payload_nonce: [u8; NONCE_BYTES],
    /// The salted commitment to the plaintext ([`record_commitment`]).
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_array")]
    #[schema(value_type = String)]
    pub commitment: [u8; 32],
    /// One wrapped content key per regulator.
    pub wrapped_keys: Vec<WrappedKey>,
}

/// Why a record could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The kind is not a short token.
    #[error("invalid record kind {kind:?}: {reason}")]
    InvalidKind {
        /// The kind given.
        kind: String,
        /// Why.
        reason: &'static str,
    },
    /// Empty or too large plaintext.
    #[error("plaintext is {len} bytes; a record holds 1 to {max}")]
    PlaintextSize {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Nobody to encrypt to.
    #[error("no regulator encryption keys given: nobody could read the record")]
    NoRecipients,
    /// The same regulator twice.
    #[error("regulator {regulator} is listed twice")]
    DuplicateRecipient {
        /// The regulator.
        regulator: Address,
    },
    /// A low-order (non-contributory) X25519 key.
    #[error("the X25519 key of {regulator} is a low-order point and cannot be encrypted to")]
    WeakRecipientKey {
        /// The regulator.
        regulator: Address,
    },
    /// `my_address` has no wrapped key in the record.
    #[error(
        "the record has no wrapped key for {address}; only the regulators it was sealed to can open it"
    )]
    NotARecipient {
        /// Who tried.
        address: Address,
    },
    /// The secret does not belong to the key the record was wrapped to.
    #[error(
        "the secret key does not match the encryption key the record was sealed to for {address}"
    )]
    WrongKey {
        /// Who tried.
        address: Address,
    },
    /// The wrapped key does not authenticate: tampered, or not ours.
    #[error("the wrapped content key does not authenticate (wrong key or tampered record)")]
    UnwrapFailed,
    /// The payload does not authenticate: tampered ciphertext or metadata.
    #[error("the ciphertext does not authenticate (tampered record)")]
    DecryptFailed,
    /// The decrypted salt and plaintext do not match `commitment`.
    #[error("the plaintext does not match the record's commitment")]
    HashMismatch,
    /// The AEAD refused to encrypt (never for valid sizes).
    #[error("encryption failed")]
    EncryptFailed,
}

/// Checks a record kind: 1 to [`MAX_KIND_LEN`] of `a-z 0-9 _`, starting with
/// a letter.
pub fn validate_kind(kind: &str) -> Result<(), RecordError> {
    let bad = |reason| {
        Err(RecordError::InvalidKind {
            kind: kind.chars().take(64).collect(),
            reason,
        })
    };
    if kind.is_empty() || kind.len() > MAX_KIND_LEN {
        return bad("1 to 32 characters");
    }
    if !kind.bytes().next().is_some_and(|b| b.is_ascii_lowercase()) {
        return bad("must start with a-z");
    }
    if !kind
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return bad("only a-z 0-9 _");
    }
    Ok(())
}

/// A new random X25519 secret (for a regulator's records key).
pub fn generate_encryption_secret<R: RngCore + CryptoRng>(rng: &mut R) -> Zeroizing<[u8; 32]> {
    let mut secret = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(secret.as_mut());
    secret
}

/// The X25519 secret of a *records key*: a random ed25519 key of its own
/// (never the regulator's account key nor a consensus key), kept in the
/// keyring. It is the ed25519 secret scalar, `SHA-512(seed)[..32]` (X25519
/// clamps it the same way ed25519 does), so the X25519 public key is the
/// Montgomery form of the ed25519 public key
/// ([`records_public_from_ed25519`]) and an ed25519 signature by the records
/// key proves possession of the X25519 secret.
pub fn records_secret_from_seed(seed: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    use sha2::Digest as _;
    let digest = Zeroizing::new(<[u8; 64]>::from(sha2::Sha512::digest(seed)));
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&digest[..32]);
    out
}

/// The X25519 public key of the records key whose ed25519 public key is
/// `ed25519_public` (its Montgomery form); `None` if it is not a point.
pub fn records_public_from_ed25519(ed25519_public: &[u8; 32]) -> Option<[u8; 32]> {
    curve25519_dalek::edwards::CompressedEdwardsY(*ed25519_public)
        .decompress()
        .map(|p| p.to_montgomery().to_bytes())
}

/// The bytes a records key signs to prove that `regulator` holds it on
/// `chain_id`: `"fructus/records/v1/key-possession" ‖ len(chain_id) as u8 ‖
/// chain_id ‖ regulator ‖ x25519_pubkey`.
pub fn possession_bytes(chain_id: &str, regulator: &Address, x25519_pubkey: &[u8; 32]) -> Vec<u8> {
    let mut out = with_kind(POSSESSION_DOMAIN, chain_id);
    out.extend_from_slice(regulator.as_bytes());
    out.extend_from_slice(x25519_pubkey);
    out
}

/// The X25519 public key of `secret` (what `RegisterEncryptionKey` carries).
pub fn encryption_public_key(secret: &[u8; 32]) -> [u8; 32] {
    let secret = x25519_dalek::StaticSecret::from(*secret);
    x25519_dalek::PublicKey::from(&secret).to_bytes()
}

/// True when `pubkey` is a usable (not low-order) X25519 public key.
pub fn is_usable_public_key(pubkey: &[u8; 32]) -> bool {
    // Any fixed clamped scalar works: the product is the identity iff the
    // point has small order.
    let probe = x25519_dalek::StaticSecret::from([0x42u8; 32]);
    probe
        .diffie_hellman(&x25519_dalek::PublicKey::from(*pubkey))
        .was_contributory()
}

/// A new random commitment salt.
pub fn generate_salt<R: RngCore + CryptoRng>(rng: &mut R) -> [u8; SALT_BYTES] {
    let mut salt = [0u8; SALT_BYTES];
    rng.fill_bytes(&mut salt);
    salt
}

fn salted_commitment(domain: &[u8], salt: &[u8; SALT_BYTES], data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    let mut h = Sha256::new();
    h.update(domain);
    h.update(salt);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256("fructus/records/v1/commitment" ‖ salt ‖ plaintext)`: what a
/// record publishes about its plaintext.
pub fn record_commitment(salt: &[u8; SALT_BYTES], plaintext: &[u8]) -> [u8; 32] {
    salted_commitment(RECORD_COMMITMENT_DOMAIN, salt, plaintext)
}

/// `SHA-256("fructus/kyc/v1/file-commitment" ‖ salt ‖ file)`: what a KYC
/// attestation publishes (as `kyc_file_sha256`) about its off-chain file.
/// The salt is kept beside the file and disclosed with it.
pub fn kyc_file_commitment(salt: &[u8; SALT_BYTES], file: &[u8]) -> [u8; 32] {
    salted_commitment(KYC_COMMITMENT_DOMAIN, salt, file)
}

/// True when `plaintext` with `salt` is what `record` was sealed from (no
/// key needed, but the salt is: without it nothing can be confirmed).
pub fn verify_integrity(plaintext: &[u8], salt: &[u8; SALT_BYTES], record: &SealedRecord) -> bool {
    record_commitment(salt, plaintext) == record.commitment
}

/// A record opened by a regulator: the plaintext and the salt that, with
/// it, proves it against the record's commitment.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
    /// The plaintext.
    pub plaintext: Zeroizing<Vec<u8>>,
    /// The commitment salt (disclose it together with the plaintext).
    pub salt: [u8; SALT_BYTES],
}

fn with_kind(domain: &[u8], kind: &str) -> Vec<u8> {
    let mut out = domain.to_vec();
    out.push(u8::try_from(kind.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(kind.as_bytes());
    out
}

fn payload_aad(kind: &str, subject: &Address, commitment: &[u8; 32]) -> Vec<u8> {
    let mut aad = with_kind(PAYLOAD_DOMAIN, kind);
    aad.extend_from_slice(subject.as_bytes());
    aad.extend_from_slice(commitment);
    aad
}

fn wrap_aad(kind: &str, subject: &Address, regulator: &Address, commitment: &[u8; 32]) -> Vec<u8> {
    let mut aad = with_kind(WRAP_DOMAIN, kind);
    aad.extend_from_slice(subject.as_bytes());
    aad.extend_from_slice(regulator.as_bytes());
    aad.extend_from_slice(commitment);
    aad
}

fn key_wrapping_key(
    shared: &x25519_dalek::SharedSecret,
    ephemeral: &[u8; 32],
    recipient: &[u8; 32],
) -> Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes());
    let mut kwk = Zeroizing::new([0u8; 32]);
    // 32 bytes never exceeds HKDF-SHA256's output limit.
    let _ = hk.expand(KWK_INFO, kwk.as_mut());
    kwk
}

/// Encrypts `plaintext` so that each of `regulators` (address, X25519 public
/// key) can open it. Fresh randomness from `rng` for the salt, the content
/// key, the nonces and every ephemeral key.
pub fn seal<R: RngCore + CryptoRng>(
    kind: &str,
    subject: &Address,
    plaintext: &[u8],
    regulators: &[(Address, [u8; 32])],
    rng: &mut R,
) -> Result<SealedRecord, RecordError> {
    let salt = generate_salt(rng);
    seal_with_salt(kind, subject, plaintext, &salt, regulators, rng)
}

/// [`seal`] with a commitment salt the caller chose (fresh from
/// [`generate_salt`], and kept to prove the plaintext later).
pub fn seal_with_salt<R: RngCore + CryptoRng>(
    kind: &str,
    subject: &Address,
    plaintext: &[u8],
    salt: &[u8; SALT_BYTES],
    regulators: &[(Address, [u8; 32])],
    rng: &mut R,
) -> Result<SealedRecord, RecordError> {
    validate_kind(kind)?;
    if plaintext.is_empty() || plaintext.len() > MAX_PLAINTEXT_BYTES {
        return Err(RecordError::PlaintextSize {
            len: plaintext.len(),
            max: MAX_PLAINTEXT_BYTES,
        });
    }
    if regulators.is_empty() {
        return Err(RecordError::NoRecipients);
    }
    let mut seen = std::collections::BTreeSet::new();
    for (regulator, _) in regulators {
        if !seen.insert(*regulator) {
            return Err(RecordError::DuplicateRecipient {
                regulator: *regulator,
            });
        }
    }
    let commitment = record_commitment(salt, plaintext);
    let mut salted = Zeroizing::new(Vec::with_capacity(
        SALT_BYTES.saturating_add(plaintext.len()),
    ));
    salted.extend_from_slice(salt);
    salted.extend_from_slice(plaintext);
    let mut content_key = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(content_key.as_mut());
    let mut payload_nonce = [0u8; NONCE_BYTES];
    rng.fill_bytes(&mut payload_nonce);
    let ciphertext = XChaCha20Poly1305::new(content_key.as_ref().into())
        .encrypt(
            &XNonce::from(payload_nonce),
            Payload {
                msg: salted.as_slice(),
                aad: &payload_aad(kind, subject, &commitment),
            },
        )
        .map_err(|_| RecordError::EncryptFailed)?;

    let mut wrapped_keys = Vec::with_capacity(regulators.len());
    for (regulator, recipient) in regulators {
        let eph = x25519_dalek::EphemeralSecret::random_from_rng(&mut *rng);
        let eph_pub = x25519_dalek::PublicKey::from(&eph).to_bytes();
        let shared = eph.diffie_hellman(&x25519_dalek::PublicKey::from(*recipient));
        if !shared.was_contributory() {
            return Err(RecordError::WeakRecipientKey {
                regulator: *regulator,
            });
        }
        let kwk = key_wrapping_key(&shared, &eph_pub, recipient);
        let mut nonce = [0u8; NONCE_BYTES];
        rng.fill_bytes(&mut nonce);
        let wrapped = XChaCha20Poly1305::new(kwk.as_ref().into())
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: content_key.as_ref(),
                    aad: &wrap_aad(kind, subject, regulator, &commitment),
                },
            )
            .map_err(|_| RecordError::EncryptFailed)?;
        let wrapped_content_key: [u8; WRAPPED_KEY_BYTES] = wrapped
            .as_slice()
            .try_into()
            .map_err(|_| RecordError::EncryptFailed)?;
        wrapped_keys.push(WrappedKey {
            regulator: *regulator,
            recipient_pubkey: *recipient,
            ephemeral_pubkey: eph_pub,
            wrapped_content_key,
            nonce,
        });
    }
    Ok(SealedRecord {
        kind: kind.to_owned(),
        subject: *subject,
        ciphertext,
        payload_nonce,
        commitment,
        wrapped_keys,
    })
}

/// Opens `sealed` as regulator `my_address` holding X25519 secret
/// `my_secret`; checks the salt and plaintext against `commitment`.
pub fn open(
    sealed: &SealedRecord,
    my_address: &Address,
    my_secret: &[u8; 32],
) -> Result<Opened, RecordError> {
    let entry = sealed
        .wrapped_keys
        .iter()
        .find(|w| &w.regulator == my_address)
        .ok_or(RecordError::NotARecipient {
            address: *my_address,
        })?;
    let secret = x25519_dalek::StaticSecret::from(*my_secret);
    if x25519_dalek::PublicKey::from(&secret).to_bytes() != entry.recipient_pubkey {
        return Err(RecordError::WrongKey {
            address: *my_address,
        });
    }
    let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(entry.ephemeral_pubkey));
    if !shared.was_contributory() {
        return Err(RecordError::UnwrapFailed);
    }
    let kwk = key_wrapping_key(&shared, &entry.ephemeral_pubkey, &entry.recipient_pubkey);
    let content_key = Zeroizing::new(
        XChaCha20Poly1305::new(kwk.as_ref().into())
            .decrypt(
                &XNonce::from(entry.nonce),
                Payload {
                    msg: &entry.wrapped_content_key,
                    aad: &wrap_aad(
                        &sealed.kind,
                        &sealed.subject,
                        my_address,
                        &sealed.commitment,
                    ),
                },
            )
            .map_err(|_| RecordError::UnwrapFailed)?,
    );
    if content_key.len() != 32 {
        return Err(RecordError::UnwrapFailed);
    }
    let salted = Zeroizing::new(
        XChaCha20Poly1305::new_from_slice(&content_key)
            .map_err(|_| RecordError::UnwrapFailed)?
            .decrypt(
                &XNonce::from(sealed.payload_nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: &payload_aad(&sealed.kind, &sealed.subject, &sealed.commitment),
                },
            )
            .map_err(|_| RecordError::DecryptFailed)?,
    );
    let (Some(salt), Some(plaintext)) = (salted.get(..SALT_BYTES), salted.get(SALT_BYTES..)) else {
        return Err(RecordError::HashMismatch);
    };
    let salt: [u8; SALT_BYTES] = salt.try_into().map_err(|_| RecordError::HashMismatch)?;
    if record_commitment(&salt, plaintext) != sealed.commitment {
        return Err(RecordError::HashMismatch);
    }
    Ok(Opened {
        plaintext: Zeroizing::new(plaintext.to_vec()),
        salt,
    })
}

/// Serializes bytes as a hex string.
pub(crate) fn hex_bytes<S: serde::Serializer, B: AsRef<[u8]>>(
    bytes: &B,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes.as_ref()))
}

/// Reads what [`hex_bytes`] wrote, of any length.
pub(crate) fn hex_vec<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    hex::decode(s).map_err(serde::de::Error::custom)
}

/// Reads what [`hex_bytes`] wrote, exactly `N` bytes.
pub(crate) fn hex_array<'de, D: serde::Deserializer<'de>, const N: usize>(
    d: D,
) -> Result<[u8; N], D::Error> {
    let mut out = [0u8; N];
    let s = <String as serde::Deserialize>::deserialize(d)?;
    hex::decode_to_slice(s, &mut out).map_err(serde::de::Error::custom)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use rand::{SeedableRng, rngs::StdRng};

    use super::*;

    fn addr(n: u8) -> Address {
        Address::from_bytes([n; 20])
    }

    fn secret(n: u8) -> [u8; 32] {
        [n; 32]
    }

    fn recipients() -> Vec<(Address, [u8; 32])> {
        vec![
            (addr(1), encryption_public_key(&secret(1))),
            (addr(2), encryption_public_key(&secret(2))),
            (addr(3), encryption_public_key(&secret(3))),
        ]
    }

    const TEXT: &[u8] = b"scope 1+2 emissions 2025: 1,234 t CO2e";

    fn sealed() -> SealedRecord {
        seal(
            "carbon_report",
            &addr(9),
            TEXT,
            &recipients(),
            &mut StdRng::seed_from_u64(1),
        )
        .unwrap()
    }

    #[test]
    fn every_regulator_opens_the_record() {
        let s = sealed();
        assert_eq!(s.wrapped_keys.len(), 3);
        assert_eq!(s.ciphertext.len(), SALT_BYTES + TEXT.len() + TAG_BYTES);
        assert!(
            !s.ciphertext
                .windows(8)
                .any(|w| TEXT.windows(8).any(|p| p == w))
        );
        let mut salts = Vec::new();
        for n in 1..=3 {
            let o = open(&s, &addr(n), &secret(n)).unwrap();
            assert_eq!(o.plaintext.as_slice(), TEXT);
            salts.push(o.salt);
        }
        assert!(salts.iter().all(|s| *s == salts[0]));
        assert!(verify_integrity(TEXT, &salts[0], &s));
    }

    #[test]
    fn a_salted_commitment_verifies_only_with_the_disclosed_salt() {
        let s = sealed();
        let salt = open(&s, &addr(1), &secret(1)).unwrap().salt;
        assert!(verify_integrity(TEXT, &salt, &s));
        // The unsalted hash of the plaintext confirms nothing.
        assert_ne!(s.commitment, fructus_crypto::sha256(TEXT));
        assert!(!verify_integrity(TEXT, &[0; SALT_BYTES], &s));
        let mut other = salt;
        other[0] ^= 1;
        assert!(!verify_integrity(TEXT, &other, &s));
        assert!(!verify_integrity(
            b"scope 1+2 emissions 2025: 1,235 t CO2e",
            &salt,
            &s
        ));
        // Same plaintext, fresh seal: a different salt and commitment.
        let again = seal(
            "carbon_report",
            &addr(9),
            TEXT,
            &recipients(),
            &mut StdRng::seed_from_u64(5),
        )
        .unwrap();
        assert_ne!(again.commitment, s.commitment);
        // KYC file commitments are domain-separated from record commitments.
        let file = b"KYC: ACME GmbH, HRB 1234";
        let c = kyc_file_commitment(&salt, file);
        assert_ne!(c, record_commitment(&salt, file));
        assert_ne!(c, fructus_crypto::sha256(file));
        assert_eq!(c, kyc_file_commitment(&salt, file));
        assert_ne!(c, kyc_file_commitment(&other, file));
    }

    #[test]
    fn outsiders_and_wrong_keys_fail() {
        let s = sealed();
        assert_eq!(
            open(&s, &addr(7), &secret(7)),
            Err(RecordError::NotARecipient { address: addr(7) })
        );
        assert_eq!(
            open(&s, &addr(1), &secret(2)),
            Err(RecordError::WrongKey { address: addr(1) })
        );
        // An outsider who swaps in its own key as recipient still cannot unwrap.
        let mut forged = s.clone();
        forged.wrapped_keys[0].recipient_pubkey = encryption_public_key(&secret(7));
        assert_eq!(
            open(&forged, &addr(1), &secret(7)),
            Err(RecordError::UnwrapFailed)
        );
        // Nor by pretending to be another regulator's entry.
        assert_eq!(
            open(&s, &addr(2), &secret(1)),
            Err(RecordError::WrongKey { address: addr(2) })
        );
    }

    #[test]
    fn tampering_is_detected() {
        let s = sealed();
        let mut t = s.clone();
        t.ciphertext[3] ^= 1;
        assert_eq!(
            open(&t, &addr(1), &secret(1)),
            Err(RecordError::DecryptFailed)
        );
        let mut t = s.clone();
        t.payload_nonce[0] ^= 1;
        assert_eq!(
            open(&t, &addr(1), &secret(1)),
            Err(RecordError::DecryptFailed)
        );
        let mut t = s.clone();
        t.wrapped_keys[0].wrapped_content_key[5] ^= 1;
        assert_eq!(
            open(&t, &addr(1), &secret(1)),
            Err(RecordError::UnwrapFailed)
        );
        // Other regulators are unaffected by a tampered entry of another.
        assert_eq!(
            open(&t, &addr(2), &secret(2)).unwrap().plaintext.as_slice(),
            TEXT
        );
        let mut t = s.clone();
        t.wrapped_keys[0].ephemeral_pubkey[1] ^= 1;
        assert!(open(&t, &addr(1), &secret(1)).is_err());
        let mut t = s.clone();
        t.wrapped_keys[0].nonce[0] ^= 1;
        assert_eq!(
            open(&t, &addr(1), &secret(1)),
            Err(RecordError::UnwrapFailed)
        );
        // Metadata is bound: kind, subject and hash cannot be swapped.
        let mut t = s.clone();
        t.kind = "kyc_file".into();
        assert!(open(&t, &addr(1), &secret(1)).is_err());
        let mut t = s.clone();
        t.subject = addr(8);
        assert!(open(&t, &addr(1), &secret(1)).is_err());
        let mut t = s.clone();
        t.commitment[0] ^= 1;
        assert!(open(&t, &addr(1), &secret(1)).is_err());
        let salt = open(&s, &addr(1), &secret(1)).unwrap().salt;
        assert!(!verify_integrity(TEXT, &salt, &t));
        // A wrapped key moved to another regulator's slot fails.
        let mut t = s;
        t.wrapped_keys[1].wrapped_content_key = t.wrapped_keys[0].wrapped_content_key;
        t.wrapped_keys[1].ephemeral_pubkey = t.wrapped_keys[0].ephemeral_pubkey;
        t.wrapped_keys[1].nonce = t.wrapped_keys[0].nonce;
        assert!(open(&t, &addr(2), &secret(2)).is_err());
    }

    #[test]
    fn seal_refuses_bad_input() {
        let mut rng = StdRng::seed_from_u64(2);
        let r = recipients();
        assert!(matches!(
            seal("Bad-Kind", &addr(9), TEXT, &r, &mut rng),
            Err(RecordError::InvalidKind { .. })
        ));
        assert!(matches!(
            seal("k", &addr(9), b"", &r, &mut rng),
            Err(RecordError::PlaintextSize { .. })
        ));
        let big = vec![0u8; MAX_PLAINTEXT_BYTES + 1];
        assert!(matches!(
            seal("k", &addr(9), &big, &r, &mut rng),
            Err(RecordError::PlaintextSize { .. })
        ));
        assert_eq!(
            seal("k", &addr(9), TEXT, &[], &mut rng),
            Err(RecordError::NoRecipients)
        );
        let dup = vec![r[0], r[0]];
        assert!(matches!(
            seal("k", &addr(9), TEXT, &dup, &mut rng),
            Err(RecordError::DuplicateRecipient { .. })
        ));
        let weak = vec![(addr(1), [0u8; 32])];
        assert!(matches!(
            seal("k", &addr(9), TEXT, &weak, &mut rng),
            Err(RecordError::WeakRecipientKey { .. })
        ));
        // The largest plaintext fits the on-chain bound exactly.
        let max = vec![7u8; MAX_PLAINTEXT_BYTES];
        let s = seal("k", &addr(9), &max, &r, &mut rng).unwrap();
        assert_eq!(s.ciphertext.len(), MAX_CIPHERTEXT_BYTES);
    }

    #[test]
    fn sealing_is_randomized_and_keys_are_derived_stably() {
        let a = seal(
            "k",
            &addr(9),
            TEXT,
            &recipients(),
            &mut StdRng::seed_from_u64(1),
        )
        .unwrap();
        let b = seal(
            "k",
            &addr(9),
            TEXT,
            &recipients(),
            &mut StdRng::seed_from_u64(2),
        )
        .unwrap();
        assert_ne!(a.ciphertext, b.ciphertext);
        assert_ne!(
            a.wrapped_keys[0].ephemeral_pubkey,
            b.wrapped_keys[0].ephemeral_pubkey
        );
        let d1 = records_secret_from_seed(&[4; 32]);
        assert_eq!(*d1, *records_secret_from_seed(&[4; 32]));
        assert_ne!(*d1, [4; 32]);
        assert!(is_usable_public_key(&encryption_public_key(&d1)));
        assert!(!is_usable_public_key(&[0; 32]));
        // The X25519 key of a records key is the Montgomery form of its
        // ed25519 key, so its ed25519 signature proves possession.
        let ed = fructus_crypto::SigningKey::from_seed(fructus_crypto::KeyAlgo::Ed25519, &[4; 32])
            .unwrap()
            .public_key()
            .to_bytes();
        let ed: [u8; 32] = ed.as_slice().try_into().unwrap();
        assert_eq!(
            records_public_from_ed25519(&ed),
            Some(encryption_public_key(&d1))
        );
    }
}
