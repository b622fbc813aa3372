//! Parallel batch verification: the hot path of transaction admission.

use rayon::prelude::*;

use crate::{CryptoError, PublicKey};

/// Items per rayon task; one ed25519 batch is verified per chunk.
const CHUNK: usize = 64;

/// One signature to check.
#[derive(Debug, Clone, Copy)]
pub struct VerifyItem<'a> {
    /// The claimed signer.
    pub key: &'a PublicKey,
    /// The exact signed bytes.
    pub msg: &'a [u8],
    /// The signature bytes.
    pub sig: &'a [u8],
}

/// Verifies every item, in parallel over all cores, and returns one result
/// per item in input order.
///
/// Ed25519 items of a chunk are checked together with one multi-scalar
/// batch equation (ZIP-215 rules, so it agrees with single verification);
/// if the batch fails, the chunk's items are checked one by one to name the
/// culprits. P-256 has no batch equation and is checked item by item.
pub fn verify_batch(items: &[VerifyItem<'_>]) -> Vec<Result<(), CryptoError>> {
    items
        .par_chunks(CHUNK)
        .flat_map_iter(verify_chunk)
        .collect()
}

fn verify_chunk(chunk: &[VerifyItem<'_>]) -> Vec<Result<(), CryptoError>> {
    let mut batch = ed25519_consensus::batch::Verifier::new();
    let mut queued = 0usize;
    let mut results: Vec<Option<Result<(), CryptoError>>> = Vec::with_capacity(chunk.len());
    for item in chunk {
        match item.key {
            PublicKey::Ed25519(vk) => match ed25519_consensus::Signature::try_from(item.sig) {
                Ok(sig) => {
                    batch.queue((
                        ed25519_consensus::VerificationKeyBytes::from(*vk),
                        sig,
                        item.msg,
                    ));
                    queued = queued.saturating_add(1);
                    results.push(None);
                }
                Err(_) => results.push(Some(item.key.verify(item.msg, item.sig))),
            },
            PublicKey::P256(_) => results.push(Some(item.key.verify(item.msg, item.sig))),
        }
    }
    let batch_ok = queued == 0 || batch.verify(rand_core::OsRng).is_ok();
    chunk
        .iter()
        .zip(results)
        .map(|(item, done)| match done {
            Some(result) => result,
            None if batch_ok => Ok(()),
            None => item.key.verify(item.msg, item.sig),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;
    use crate::{KeyAlgo, SigningKey};

    #[test]
    fn batch_names_exactly_the_bad_signatures() {
        let keys: Vec<SigningKey> = (0..150u8)
            .map(|i| {
                let algo = if i % 5 == 0 {
                    KeyAlgo::P256
                } else {
                    KeyAlgo::Ed25519
                };
                SigningKey::from_seed(algo, &[i.wrapping_add(1); 32]).unwrap()
            })
            .collect();
        let pubs: Vec<PublicKey> = keys.iter().map(SigningKey::public_key).collect();
        let msgs: Vec<Vec<u8>> = (0..150u32).map(|i| i.to_le_bytes().to_vec()).collect();
        let mut sigs: Vec<Vec<u8>> = keys.iter().zip(&msgs).map(|(k, m)| k.sign(m)).collect();
        let bad = [3usize, 10, 77, 149];
        for &b in &bad {
            sigs[b][0] ^= 1;
        }
        sigs[20].truncate(10);
        let items: Vec<VerifyItem<'_>> = (0..150)
            .map(|i| VerifyItem {
                key: &pubs[i],
                msg: &msgs[i],
                sig: &sigs[i],
            })
            .collect();
        let results = verify_batch(&items);
        assert_eq!(results.len(), 150);
        for (i, r) in results.iter().enumerate() {
            let expect_bad = bad.contains(&i) || i == 20;
            assert_eq!(r.is_err(), expect_bad, "item {i}: {r:?}");
        }
        assert!(matches!(
            results[20],
            Err(CryptoError::MalformedSignature { .. })
        ));
    }

    #[test]
    fn all_good_batch_passes() {
        let sk = SigningKey::from_seed(KeyAlgo::Ed25519, &[9; 32]).unwrap();
        let pk = sk.public_key();
        let msgs: Vec<Vec<u8>> = (0..200u32).map(|i| i.to_be_bytes().to_vec()).collect();
        let sigs: Vec<Vec<u8>> = msgs.iter().map(|m| sk.sign(m)).collect();
        let items: Vec<VerifyItem<'_>> = msgs
            .iter()
            .zip(&sigs)
            .map(|(m, s)| VerifyItem {
                key: &pk,
                msg: m,
                sig: s,
            })
            .collect();
        assert!(verify_batch(&items).iter().all(Result::is_ok));
    }
}
