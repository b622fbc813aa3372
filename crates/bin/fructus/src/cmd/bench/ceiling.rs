//! The signature-verification ceiling: how many signatures per second this
//! machine verifies on all cores, with the chain's own verifier
//! ([`fructus_crypto::verify_batch`]).
//!
//! The messages are reading-sized (100 bytes: device index, sequence,
//! timestamp, value, padding) but are not meter readings: the metering
//! module does not exist yet, so there is no reading encoding to sign.

use std::time::Instant;

use fructus_crypto::{KeyAlgo, PublicKey, SigningKey, VerifyItem, verify_batch};
use rayon::prelude::*;
use serde_json::{Value, json};

use super::{Report, progress};

/// Bytes of each signed message (about one meter reading).
pub(crate) const MESSAGE_BYTES: usize = 100;
/// Most P-256 signatures timed (P-256 has no batch equation: 2–3x slower
/// than ed25519 batches on `ring`'s verifier, so fewer keep the run short;
/// it is the ceiling of `--algo p256` workloads).
const P256_MAX: usize = 5_000;
/// Timed passes over the same signatures; the fastest counts (the first
/// pass also warms caches and the thread pool).
const PASSES: usize = 3;

/// The measured ceiling.
#[derive(Debug, Clone)]
pub(crate) struct Ceiling {
    /// Ed25519 signatures verified per pass.
    pub(crate) ed25519_count: usize,
    /// Seconds of the fastest pass.
    pub(crate) ed25519_secs: f64,
    /// Signatures per second of the fastest pass.
    pub(crate) ed25519_rate: f64,
    /// P-256 signatures verified per pass.
    pub(crate) p256_count: usize,
    /// Seconds of the fastest pass.
    pub(crate) p256_secs: f64,
    /// Signatures per second of the fastest pass.
    pub(crate) p256_rate: f64,
    /// Distinct keys of each algorithm.
    pub(crate) keys: usize,
}

impl Ceiling {
    /// Adds the two ceiling rows.
    pub(crate) fn add_rows(&self, report: &mut Report) {
        let keys = self.keys;
        report.rows.push(super::Row {
            name: "ceiling ed25519".into(),
            count: self.ed25519_count,
            elapsed_secs: self.ed25519_secs,
            rate: Some(self.ed25519_rate),
            ratio: Some(1.0),
            notes: format!(
                "verify_batch, {} threads, {MESSAGE_BYTES}-byte messages (a reading's size), \
                 {keys} keys, best of {PASSES}",
                rayon::current_num_threads()
            ),
        });
        let ratio = (self.ed25519_rate > 0.0).then(|| self.p256_rate / self.ed25519_rate);
        report.rows.push(super::Row {
            name: "ceiling p256".into(),
            count: self.p256_count,
            elapsed_secs: self.p256_secs,
            rate: Some(self.p256_rate),
            ratio,
            notes: format!(
                "verify_batch (one by one, parallel), {MESSAGE_BYTES}-byte messages, \
                 {} keys, best of {PASSES}",
                keys.min(self.p256_count)
            ),
        });
    }

    /// The ceiling as JSON.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "message_bytes": MESSAGE_BYTES,
            "keys": self.keys,
            "passes": PASSES,
            "ed25519_count": self.ed25519_count,
            "ed25519_secs": self.ed25519_secs,
            "ed25519_sigs_per_sec": self.ed25519_rate,
            "p256_count": self.p256_count,
            "p256_secs": self.p256_secs,
            "p256_sigs_per_sec": self.p256_rate,
        })
    }
}

/// A reading-sized message: device index, sequence number, a timestamp and
/// a value, padded to [`MESSAGE_BYTES`].
fn message(device: usize, seq: usize) -> Vec<u8> {
    let mut m = Vec::with_capacity(MESSAGE_BYTES);
    m.extend_from_slice(b"fructus-bench-reading");
    m.extend_from_slice(&(device as u64).to_be_bytes());
    m.extend_from_slice(&(seq as u64).to_be_bytes());
    m.extend_from_slice(
        &1_767_225_600_000u64
            .saturating_add(seq as u64)
            .to_be_bytes(),
    );
    m.extend_from_slice(&((seq as u64).wrapping_mul(2_654_435_761) % 10_000).to_be_bytes());
    m.resize(MESSAGE_BYTES, 0xAB);
    m
}

/// A deterministic key for device `i` of `algo`.
pub(crate) fn device_key(algo: KeyAlgo, i: usize) -> anyhow::Result<SigningKey> {
    let seed = fructus_crypto::sha256(format!("fructus-bench-{}-{i}", algo.name()).as_bytes());
    Ok(SigningKey::from_seed(algo, &seed)?)
}

struct Signed {
    keys: Vec<PublicKey>,
    items: Vec<(usize, Vec<u8>, Vec<u8>)>,
}

fn sign_all(algo: KeyAlgo, count: usize, devices: usize) -> anyhow::Result<Signed> {
    let keys: Vec<SigningKey> = (0..devices)
        .into_par_iter()
        .map(|i| device_key(algo, i))
        .collect::<anyhow::Result<_>>()?;
    let items = (0..count)
        .into_par_iter()
        .map(|i| {
            let d = i % devices;
            let msg = message(d, i / devices);
            let sig = keys.get(d).map(|k| k.sign(&msg)).unwrap_or_default();
            (d, msg, sig)
        })
        .collect();
    Ok(Signed {
        keys: keys.iter().map(SigningKey::public_key).collect(),
        items,
    })
}

/// Best (seconds, rate) of [`PASSES`] verifications of `signed`.
fn time_verify(signed: &Signed, label: &str) -> anyhow::Result<(f64, f64)> {
    let items: Vec<VerifyItem<'_>> = signed
        .items
        .iter()
        .filter_map(|(d, msg, sig)| signed.keys.get(*d).map(|key| VerifyItem { key, msg, sig }))
        .collect();
    let mut best = f64::INFINITY;
    for _ in 0..PASSES {
        let start = Instant::now();
        let results = verify_batch(&items);
        let secs = start.elapsed().as_secs_f64();
        let bad = results.iter().filter(|r| r.is_err()).count();
        if bad > 0 || results.len() != items.len() {
            anyhow::bail!(
                "{label}: {bad} of {} signatures failed to verify",
                items.len()
            );
        }
        best = best.min(secs);
    }
    Ok((best, super::report::rate(items.len(), best)))
}

/// Signs `count` ed25519 messages (and up to [`P256_MAX`] P-256 ones) from
/// `devices` keys, then times their verification. `verbose` prints each
/// step on stderr.
pub(crate) fn measure(count: usize, devices: usize, verbose: bool) -> anyhow::Result<Ceiling> {
    let start = Instant::now();
    progress(
        start,
        &format!("ceiling: signing {count} ed25519 messages from {devices} keys"),
    );
    let ed = sign_all(KeyAlgo::Ed25519, count, devices)?;
    if verbose {
        progress(start, "ceiling: verifying ed25519 (batch)");
    }
    let (ed_secs, ed_rate) = time_verify(&ed, "ed25519")?;
    drop(ed);
    let p256_count = count.min(P256_MAX);
    if verbose {
        progress(
            start,
            &format!("ceiling: signing and verifying {p256_count} P-256 messages"),
        );
    }
    let p = sign_all(KeyAlgo::P256, p256_count, devices)?;
    let (p_secs, p_rate) = time_verify(&p, "p256")?;
    progress(
        start,
        &format!("ceiling: ed25519 {ed_rate:.0} sigs/s, p256 {p_rate:.0} sigs/s"),
    );
    Ok(Ceiling {
        ed25519_count: count,
        ed25519_secs: ed_secs,
        ed25519_rate: ed_rate,
        p256_count,
        p256_secs: p_secs,
        p256_rate: p_rate,
        keys: devices,
    })
}
