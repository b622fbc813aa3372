//! `fructus device simulate`: a device that holds its key and streams
//! realistic readings to a node, built and signed with the device SDK.
//!
//! Each reading stands for `--interval-ms` of simulated use; the units it
//! adds follow the profile's day/night curve (by simulated hour), with
//! ±10 % noise and an occasional fault flag from a pseudo-random generator
//! seeded by the device address (or `--seed`); with `--start-hour` too, a
//! run's readings repeat exactly. Readings are
//! sent without waiting (they need no nonce, so many are in flight at
//! once) at `--rate` per second; at the end their results are collected
//! and totals printed.
//!
//! `fructus device heartbeat`: a compute provider's device (a GPU server)
//! tells the chain it is alive, `--count` times every `--every-ms`, each
//! heartbeat built and signed with the device SDK
//! (`fructus_device_sdk::signed_heartbeat`) and waited for, since it
//! carries the device account's nonce. Stopping it is how a provider goes
//! offline.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_device_sdk::{DeviceConfig, KeyType, Reading, Signer};

use crate::{
    cli::{GlobalOpts, OutputFormat},
    cmd::{
        keys::{PassphraseArgs, load_signing_key_with},
        query::NodeOpt,
        tx::resolve_account,
    },
};

/// Usage curves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Profile {
    /// Cooling-as-a-service: base load, afternoon peak.
    Cooling,
    /// Rooftop solar: zero at night, midday bell.
    Solar,
    /// EV charger: morning and evening sessions.
    Ev,
    /// GPU server: high, flat.
    Gpu,
}

impl Profile {
    /// Units per simulated hour at `hour` (0-23).
    fn units_per_hour(self, hour: u64) -> u64 {
        match self {
            Profile::Cooling => 6u64
                .saturating_sub(hour.abs_diff(15))
                .saturating_mul(8)
                .saturating_add(30),
            Profile::Solar if (6..20).contains(&hour) => 7u64
                .saturating_sub(hour.abs_diff(13))
                .saturating_mul(100)
                .checked_div(7)
                .unwrap_or(0),
            Profile::Solar => 0,
            Profile::Ev if (18..23).contains(&hour) => 70,
            Profile::Ev if (7..9).contains(&hour) => 30,
            Profile::Ev => 0,
            Profile::Gpu => 95,
        }
    }
}

/// Arguments of `fructus device simulate`.
#[derive(Debug, Args)]
pub(crate) struct SimulateArgs {
    /// The device key: a keyring key name, or a file holding `ALGO:HEX`
    /// (the 32-byte secret, e.g. `p256:…`).
    #[arg(long)]
    device_key: String,
    /// The device's address, if not the key's own (after a key rotation).
    #[arg(long)]
    device: Option<String>,
    #[command(flatten)]
    node: NodeOpt,
    /// Readings sent per second.
    #[arg(long, default_value_t = 1)]
    rate: u32,
    /// Usage curve.
    #[arg(long, value_enum, default_value_t = Profile::Cooling)]
    profile: Profile,
    /// Stop after this many readings (default: run until interrupted).
    #[arg(long)]
    count: Option<u64>,
    /// Simulated time each reading covers (ms).
    #[arg(long, default_value_t = 900_000)]
    interval_ms: u64,
    /// Hour of the day (0-23) the simulated clock starts at (default: the
    /// current hour, UTC). The profile's curve follows the simulated clock.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..24))]
    start_hour: Option<u64>,
    /// Seed of the noise and the occasional fault flag (default: derived
    /// from the device address). With --start-hour as well, a run's
    /// readings repeat exactly.
    #[arg(long)]
    seed: Option<u64>,
    /// Account paying the fees through its fee grant to the device.
    #[arg(long)]
    fee_payer: Option<String>,
    /// Fee per reading, in ufrx.
    #[arg(long, default_value_t = 2_000)]
    fee: u128,
    /// Gas limit per reading.
    #[arg(long, default_value_t = 200_000)]
    gas: u64,
    #[command(flatten)]
    passphrase: PassphraseArgs,
}

/// A software key as the SDK's signer.
struct SoftSigner(SigningKey);

impl Signer for SoftSigner {
    fn key_type(&self) -> KeyType {
        match self.0.algo() {
            KeyAlgo::Ed25519 => KeyType::Ed25519,
            KeyAlgo::P256 => KeyType::P256,
        }
    }

    fn public_key(&self) -> Vec<u8> {
        self.0.public_key().to_bytes()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, fructus_device_sdk::Error> {
        Ok(self.0.sign(message))
    }
}

/// xorshift64*: a small deterministic generator (never zero-seeded).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn load_key(
    global: &GlobalOpts,
    device_key: &str,
    passphrase: &PassphraseArgs,
) -> anyhow::Result<SigningKey> {
    let path = std::path::Path::new(device_key);
    if path.is_file() {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let (algo, secret) = text
            .trim()
            .split_once(':')
            .context("the key file holds ALGO:HEX, e.g. p256:0123…")?;
        let algo: KeyAlgo = algo.parse()?;
        let bytes = hex::decode(secret).context("the secret is not hex")?;
        return Ok(SigningKey::from_bytes(algo, &bytes)?);
    }
    load_signing_key_with(global, passphrase, device_key)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Runs the simulator.
pub(crate) fn run(args: SimulateArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    if args.rate == 0 {
        bail!("--rate must be at least 1 reading per second");
    }
    let key = load_key(global, &args.device_key, &args.passphrase)?;
    let device = match &args.device {
        Some(d) => resolve_account(global, d)?,
        None => key.public_key().address(),
    };
    let payer = args
        .fee_payer
        .as_deref()
        .map(|p| resolve_account(global, p))
        .transpose()?;
    let client = args.node.client()?;
    let chain_id = client.status()?.chain_id;
    let state = client
        .get_json(&format!("/v1/devices/{device}"))
        .with_context(|| format!("device {device} is not registered on {}", args.node.node))?;
    let mut sequence = state["last_sequence"].as_u64().unwrap_or(0);
    let mut counter = state["counter"].as_u64().unwrap_or(0);
    let config = DeviceConfig {
        chain_id: &chain_id,
        device: *device.as_bytes(),
        fee_denom: "ufrx",
        fee_amount: args.fee,
        gas_limit: args.gas,
        fee_payer: payer.map(|p| *p.as_bytes()),
    };
    let signer = SoftSigner(key);
    let seed = args.seed.unwrap_or_else(|| {
        device
            .as_bytes()
            .iter()
            .fold(0x9e37_79b9_7f4a_7c15u64, |h, b| {
                h.rotate_left(5) ^ u64::from(*b)
            })
    });
    let mut rng = Rng(seed | 1);
    let pace = Duration::from_millis(1_000u64.checked_div(u64::from(args.rate)).unwrap_or(1_000));
    let start = Instant::now();
    let mut sim_ms = args
        .start_hour
        .map_or_else(now_ms, |h| h.saturating_mul(3_600_000));
    let mut sent: Vec<String> = Vec::new();
    let mut refused = 0u64;
    let mut units = 0u64;
    let mut i = 0u64;
    while args.count.is_none_or(|c| i < c) {
        let hour = (sim_ms / 3_600_000) % 24;
        let base = args
            .profile
            .units_per_hour(hour)
            .saturating_mul(args.interval_ms)
            / 3_600_000;
        // ±10 %: add up to 20 % of base, take 10 % off.
        let noise = rng.next().checked_rem(base / 5).unwrap_or(0);
        let delta = base.saturating_add(noise).saturating_sub(base / 10);
        let flags = if rng.next().is_multiple_of(64) {
            fructus_device_sdk::FLAG_FAULT
        } else {
            0
        };
        sequence = sequence.saturating_add(1);
        counter = counter.saturating_add(delta);
        let reading = Reading {
            sequence,
            counter,
            time_ms: now_ms(),
            flags,
        };
        let tx = fructus_device_sdk::signed_reading(&config, &signer, &reading)
            .map_err(|e| anyhow::anyhow!("building reading {sequence}: {e:?}"))?;
        match client.submit(&tx, false) {
            Ok(view) => {
                units = units.saturating_add(delta);
                sent.push(view.hash);
            }
            Err(e) => {
                refused = refused.saturating_add(1);
                eprintln!("reading {sequence} refused: {e}");
            }
        }
        if global.output == OutputFormat::Text {
            eprintln!(
                "reading {sequence}: counter {counter} (+{delta}){}",
                if flags & fructus_device_sdk::FLAG_FAULT != 0 {
                    " with the fault flag (the device reports a fault; the reading still counts)"
                } else {
                    ""
                }
            );
        }
        sim_ms = sim_ms.saturating_add(args.interval_ms);
        i = i.saturating_add(1);
        let due = pace.saturating_mul(u32::try_from(i).unwrap_or(u32::MAX));
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
    }

    // Collect the results of what was admitted.
    let (mut accepted, mut failed, mut charged) = (0u64, 0u64, 0u128);
    for hash in &sent {
        let deadline = Instant::now()
            .checked_add(Duration::from_secs(60))
            .unwrap_or_else(Instant::now);
        let view = loop {
            match client.tx(hash) {
                Ok(v) => break Some(v),
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(_) => break None,
            }
        };
        match view {
            Some(v) if v.code == 0 => {
                accepted = accepted.saturating_add(1);
                let reading = v
                    .events
                    .iter()
                    .find(|e| e.kind == "metering.reading")
                    .and_then(|e| e.get("charged"))
                    .and_then(|c| c.parse::<u128>().ok())
                    .unwrap_or(0);
                charged = charged.saturating_add(reading);
            }
            Some(v) => {
                failed = failed.saturating_add(1);
                eprintln!(
                    "reading {hash} failed: {}#{} {}",
                    v.codespace, v.code, v.log
                );
            }
            None => failed = failed.saturating_add(1),
        }
    }
    let summary = serde_json::json!({
        "device": device.to_string(),
        "profile": format!("{:?}", args.profile).to_lowercase(),
        "sent": i,
        "accepted": accepted,
        "refused": refused,
        "failed": failed,
        "units": units,
        "charged": charged.to_string(),
        "last_sequence": sequence,
        "counter": counter,
    });
    match global.output {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        OutputFormat::Text => println!(
            "{accepted} readings accepted ({refused} refused at admission, {failed} failed), \
             {units} units, {charged} charged"
        ),
    }
    Ok(())
}

/// Arguments of `fructus device heartbeat`.
#[derive(Debug, Args)]
pub(crate) struct HeartbeatArgs {
    /// The device key: a keyring key name, or a file holding `ALGO:HEX`.
    #[arg(long)]
    device_key: String,
    /// The GPU asset the device belongs to.
    #[arg(long)]
    asset: u64,
    /// GPUs reported online (0 takes the provider offline).
    #[arg(long)]
    gpus: u32,
    /// Heartbeats to send.
    #[arg(long, default_value_t = 1)]
    count: u64,
    /// Time between heartbeats (ms).
    #[arg(long, default_value_t = 10_000)]
    every_ms: u64,
    #[command(flatten)]
    node: NodeOpt,
    /// Account paying the fees through its fee grant to the device.
    #[arg(long)]
    fee_payer: Option<String>,
    /// Fee per heartbeat, in ufrx.
    #[arg(long, default_value_t = 2_000)]
    fee: u128,
    /// Gas limit per heartbeat.
    #[arg(long, default_value_t = 200_000)]
    gas: u64,
    #[command(flatten)]
    passphrase: PassphraseArgs,
}

/// Sends heartbeats, each waited for until committed.
pub(crate) fn run_heartbeat(args: HeartbeatArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    let key = load_key(global, &args.device_key, &args.passphrase)?;
    let device = key.public_key().address();
    let payer = args
        .fee_payer
        .as_deref()
        .map(|p| resolve_account(global, p))
        .transpose()?;
    let client = args.node.client()?;
    let chain_id = client.status()?.chain_id;
    let provider = client
        .get_json(&format!("/v1/compute/providers/{}", args.asset))
        .with_context(|| format!("asset {} is not a compute provider", args.asset))?;
    let mut sequence = provider["heartbeat_sequence"].as_u64().unwrap_or(0);
    let config = DeviceConfig {
        chain_id: &chain_id,
        device: *device.as_bytes(),
        fee_denom: "ufrx",
        fee_amount: args.fee,
        gas_limit: args.gas,
        fee_payer: payer.map(|p| *p.as_bytes()),
    };
    let signer = SoftSigner(key);
    let (mut accepted, mut failed) = (0u64, 0u64);
    for i in 0..args.count {
        if i > 0 {
            std::thread::sleep(Duration::from_millis(args.every_ms));
        }
        sequence = sequence.saturating_add(1);
        let nonce = client.account(&device)?.nonce;
        let beat = fructus_device_sdk::Heartbeat {
            asset_id: args.asset,
            sequence,
            time_ms: now_ms(),
            gpus_online: args.gpus,
            nonce,
        };
        let tx = fructus_device_sdk::signed_heartbeat(&config, &signer, &beat)
            .map_err(|e| anyhow::anyhow!("building heartbeat {sequence}: {e:?}"))?;
        match client.submit(&tx, true) {
            Ok(view) => match view.result {
                Some(r) if r.code != 0 => {
                    failed = failed.saturating_add(1);
                    eprintln!(
                        "heartbeat {sequence} failed: {}#{} {}",
                        r.codespace, r.code, r.log
                    );
                }
                _ => accepted = accepted.saturating_add(1),
            },
            Err(e) => {
                failed = failed.saturating_add(1);
                eprintln!("heartbeat {sequence} refused: {e}");
            }
        }
        if global.output == OutputFormat::Text {
            eprintln!("heartbeat {sequence}: {} GPUs online", args.gpus);
        }
    }
    let summary = serde_json::json!({
        "device": device.to_string(),
        "asset_id": args.asset,
        "sent": args.count,
        "accepted": accepted,
        "failed": failed,
        "last_sequence": sequence,
    });
    match global.output {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        OutputFormat::Text => println!("{accepted} heartbeats accepted ({failed} failed)"),
    }
    if accepted == 0 && args.count > 0 {
        bail!("no heartbeat was accepted");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_follow_the_day() {
        assert_eq!(Profile::Solar.units_per_hour(2), 0);
        assert_eq!(Profile::Solar.units_per_hour(13), 100);
        assert!(Profile::Solar.units_per_hour(9) < Profile::Solar.units_per_hour(12));
        assert!(Profile::Cooling.units_per_hour(15) > Profile::Cooling.units_per_hour(3));
        assert_eq!(Profile::Ev.units_per_hour(12), 0);
        assert_eq!(
            Profile::Gpu.units_per_hour(0),
            Profile::Gpu.units_per_hour(12)
        );
    }

    #[test]
    fn the_generator_is_deterministic() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        assert_eq!((a.next(), a.next()), (b.next(), b.next()));
    }
}
