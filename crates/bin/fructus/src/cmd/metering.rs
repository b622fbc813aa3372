//! The metering module's commands: `fructus tx device …`, `fructus tx
//! contract …`, `fructus device …` and `fructus query device|contract …`.
//! The metering module owns devices (served at `/v1/devices`), their
//! readings and oracles, and pay-per-use contracts (`/v1/contracts`).

use anyhow::Context as _;
use clap::Subcommand;
use fructus_client::metering::{self as m, ContractTerms};
use fructus_crypto::PublicKey;
use fructus_proto::tx::v1 as pb;
use fructus_types::{Amount, Coin};

use crate::{
    cli::{GlobalOpts, OutputFormat},
    cmd::{
        asset::key_arg,
        keys::{PassphraseArgs, load_signing_key_with},
        query::{ModuleQuery, NodeOpt},
        tx::{Ctx, ModuleTx, TxOpts, resolve_account},
    },
};

/// Bytes given in hex on the command line (a signature).
#[derive(Debug, Clone)]
pub(crate) struct Hex(Vec<u8>);

fn hex_arg(s: &str) -> Result<Hex, String> {
    hex::decode(s.trim())
        .map(Hex)
        .map_err(|e| format!("not hex: {e}"))
}

/// `fructus tx device` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum DeviceTxCmd {
    /// Bind an attested device key to an asset (asset owner or class manager).
    /// The device key must be fresh and signs its consent: give its keyring
    /// name with --device-key, or, for a key held in a secure element, its
    /// public key with --device-pubkey and its consent with
    /// --device-signature.
    Register {
        /// Signing key name (the asset's owner or a class manager).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// Keyring name of the device key (it signs its consent).
        #[arg(
            long,
            conflicts_with_all = ["device_pubkey", "device_signature"],
            required_unless_present = "device_pubkey"
        )]
        device_key: Option<String>,
        /// The device's public key as ALGO:HEX, when the key is not in the
        /// keyring (with --device-signature).
        #[arg(long, value_parser = key_arg, requires = "device_signature")]
        device_pubkey: Option<PublicKey>,
        /// The device key's signature over "fructus/device-register/v1",
        /// the chain id, the asset id, FROM's address and the key, hex (the
        /// device SDK's `registration_consent`).
        #[arg(long, value_parser = hex_arg, requires = "device_pubkey")]
        device_signature: Option<Hex>,
        /// The asset's serial number (part of what the manufacturer signed).
        #[arg(long)]
        serial: String,
        /// The manufacturer's attestation, hex (see `fructus device attest`).
        #[arg(long, value_parser = hex_arg)]
        attestation: Hex,
        /// The meter's cumulative counter at installation.
        #[arg(long, default_value_t = 0)]
        counter: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Replace a device's key. Either FROM is the device (its current key)
    /// and --new-key names the new key in the keyring, or FROM is the asset
    /// operator and gives --new-pubkey with a fresh --attestation.
    RotateKey {
        /// Signing key name.
        from: String,
        /// The device: address or key name.
        device: String,
        /// Device path: keyring name of the new key (it signs its consent).
        #[arg(long, conflicts_with_all = ["new_pubkey", "attestation"])]
        new_key: Option<String>,
        /// Owner path: the new public key as ALGO:HEX.
        #[arg(long, value_parser = key_arg, requires = "attestation")]
        new_pubkey: Option<PublicKey>,
        /// Owner path: the manufacturer's attestation of the new key, hex.
        #[arg(long, value_parser = hex_arg)]
        attestation: Option<Hex>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Report tampering: the device is suspended until re-attested.
    ReportTamper {
        /// Signing key name (the device or the asset operator).
        from: String,
        /// The device: address or key name.
        device: String,
        /// What happened.
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Lift a tamper suspension with the manufacturer's re-attestation.
    Reattest {
        /// Signing key name (the asset operator).
        from: String,
        /// The device: address or key name.
        device: String,
        /// The manufacturer's re-attestation of the device's current key for
        /// this suspension, hex (see `fructus device reattest`).
        #[arg(long, value_parser = hex_arg)]
        attestation: Hex,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Retire a device for good.
    Decommission {
        /// Signing key name (the asset operator).
        from: String,
        /// The device: address or key name.
        device: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Set a class's plausibility bound (class creator; 0 removes it).
    SetBound {
        /// Signing key name (the class creator).
        from: String,
        /// Class id.
        class_id: u64,
        /// Most units per second a device of the class can measure.
        max_units_per_second: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Submit one reading signed by the device key (nonce 0: readings use
    /// the device sequence, not the account nonce).
    Reading {
        /// Signing key name (the device key).
        from: String,
        /// The device address, if not FROM's (after a key rotation).
        #[arg(long)]
        device: Option<String>,
        /// Sequence number, above the last accepted one.
        #[arg(long)]
        sequence: u64,
        /// Cumulative counter.
        #[arg(long)]
        counter: u64,
        /// Device time in ms since the epoch (default: now).
        #[arg(long)]
        time_ms: Option<u64>,
        /// Flag tampering.
        #[arg(long)]
        tamper: bool,
        /// Flag a fault (the reading still counts).
        #[arg(long)]
        fault: bool,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Name an asset's oracles (asset operator) for contracts opened from
    /// now on; a contract keeps the quorum its customer accepted.
    SetOracles {
        /// Signing key name (the asset operator).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// An oracle: address or key name (repeatable).
        #[arg(long = "oracle", required = true)]
        oracles: Vec<String>,
        /// How many must agree.
        #[arg(long)]
        threshold: u32,
        /// Agreement tolerance around the median, in basis points.
        #[arg(long, default_value_t = 100)]
        tolerance_bps: u32,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Report an asset's cumulative counter for a period (an oracle).
    OracleReading {
        /// Signing key name (one of the asset's oracles).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// Period number (above the last accepted one).
        period: u64,
        /// Cumulative counter.
        counter: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
}

/// `fructus tx contract` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ContractTxCmd {
    /// Propose a service contract for an asset (asset operator). If the
    /// asset names oracles (`tx device set-oracles`), the contract is
    /// metered by that quorum alone, else by its device; the first reading
    /// after acceptance is the baseline and bills nothing.
    Open {
        /// Signing key name (the asset operator).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// The customer: address or key name.
        customer: String,
        /// Price per --per-units units, e.g. 3ufrx (at most 10^18 base units).
        #[arg(long)]
        price: Coin,
        /// Units the price is for.
        #[arg(long, default_value_t = 1)]
        per_units: u64,
        /// Postpaid with this credit limit (default: prepaid escrow).
        #[arg(long)]
        credit_limit: Option<Amount>,
        /// Postpaid: how long owed amounts may stay unsettled (ms, at most ten years).
        #[arg(long, default_value_t = 0)]
        settle_within_ms: u64,
        /// Earliest start (ms since the epoch; 0 = on acceptance).
        #[arg(long, default_value_t = 0)]
        start_ms: u64,
        /// End (ms since the epoch; 0 = open-ended).
        #[arg(long, default_value_t = 0)]
        end_ms: u64,
        /// The maintainer: address or key name.
        #[arg(long)]
        maintainer: Option<String>,
        /// Maintainer share of collections (basis points).
        #[arg(long, default_value_t = 0)]
        maintainer_bps: u32,
        /// Platform fee share of collections (basis points; to the fee collector).
        #[arg(long, default_value_t = 0)]
        platform_bps: u32,
        /// Period length for SLA and efficiency incentive (ms; 0 = none, else
        /// 10000 to ten years).
        #[arg(long, default_value_t = 0)]
        period_ms: u64,
        /// SLA: minimum units per period (at most 10^12).
        #[arg(long, default_value_t = 0)]
        sla_min_units: u64,
        /// SLA: penalty per missing unit (at most 10^18 base units).
        #[arg(long, default_value_t = Amount::ZERO)]
        sla_penalty_per_unit: Amount,
        /// Efficiency: baseline units per period (at most 10^12).
        #[arg(long, default_value_t = 0)]
        baseline_units: u64,
        /// Efficiency: rebate per unit below the baseline (at most 10^18 base units).
        #[arg(long, default_value_t = Amount::ZERO)]
        rebate_per_unit: Amount,
        /// Notice before an accepted contract closes (ms, at most ten years).
        #[arg(long, default_value_t = 0)]
        notice_ms: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Accept a proposed contract (the customer), optionally funding escrow.
    Accept {
        /// Signing key name (the customer).
        from: String,
        /// Contract id.
        contract_id: u64,
        /// Initial escrow deposit (prepaid), e.g. 1000ufrx.
        #[arg(long)]
        deposit: Option<Coin>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Add to a prepaid escrow (pays what is owed first).
    TopUp {
        /// Signing key name.
        from: String,
        /// Contract id.
        contract_id: u64,
        /// Amount, e.g. 500ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Pay everything a postpaid contract owes (the customer).
    Settle {
        /// Signing key name (the customer).
        from: String,
        /// Contract id.
        contract_id: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Fund a contract's efficiency-incentive pool.
    FundIncentive {
        /// Signing key name.
        from: String,
        /// Contract id.
        contract_id: u64,
        /// Amount, e.g. 500ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Give notice on a contract, or close it once notice ran out.
    Close {
        /// Signing key name (provider or customer).
        from: String,
        /// Contract id.
        contract_id: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl ModuleTx for DeviceTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::Register { from, opts, .. }
            | Self::RotateKey { from, opts, .. }
            | Self::ReportTamper { from, opts, .. }
            | Self::Reattest { from, opts, .. }
            | Self::Decommission { from, opts, .. }
            | Self::SetBound { from, opts, .. }
            | Self::Reading { from, opts, .. }
            | Self::SetOracles { from, opts, .. }
            | Self::OracleReading { from, opts, .. } => (from, opts),
        }
    }

    fn nonceless(&self) -> bool {
        matches!(self, Self::Reading { .. })
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::Register {
                asset_id,
                device_key,
                device_pubkey,
                device_signature,
                serial,
                attestation,
                counter,
                ..
            } => {
                let (key, consent) = match (device_key, device_pubkey, device_signature) {
                    (Some(name), None, None) => {
                        let device = c.load_key(&name).context("device key")?;
                        let consent =
                            m::registration_consent(c.chain_id(), &device, asset_id, &c.account);
                        (device.public_key(), consent)
                    }
                    (None, Some(key), Some(sig)) => (key, sig.0),
                    _ => anyhow::bail!(
                        "give --device-key NAME (a keyring key that signs its consent), or \
                         --device-pubkey with --device-signature"
                    ),
                };
                m::register_device(asset_id, &key, &serial, &attestation.0, counter, &consent)
            }
            Self::RotateKey {
                device,
                new_key,
                new_pubkey,
                attestation,
                ..
            } => {
                let device = c.resolve(&device)?;
                match (new_key, new_pubkey, attestation) {
                    (Some(name), None, None) => {
                        let new = c.load_key(&name)?;
                        m::rotate_device_key_by_device(c.chain_id(), &device, &new)
                    }
                    (None, Some(key), Some(att)) => {
                        m::rotate_device_key_by_owner(&device, &key, &att.0)
                    }
                    _ => anyhow::bail!(
                        "give --new-key NAME (signed by the device), or --new-pubkey with \
                         --attestation (signed by the asset operator)"
                    ),
                }
            }
            Self::ReportTamper { device, reason, .. } => {
                m::report_tamper(&c.resolve(&device)?, &reason)
            }
            Self::Reattest {
                device,
                attestation,
                ..
            } => m::reattest_device(&c.resolve(&device)?, &attestation.0),
            Self::Decommission { device, .. } => m::decommission_device(&c.resolve(&device)?),
            Self::SetBound {
                class_id,
                max_units_per_second,
                ..
            } => m::set_plausibility_bound(class_id, max_units_per_second),
            Self::Reading {
                device,
                sequence,
                counter,
                time_ms,
                tamper,
                fault,
                ..
            } => {
                let mut flags = 0;
                if tamper {
                    flags |= fructus_metering::msg::FLAG_TAMPER;
                }
                if fault {
                    flags |= fructus_metering::msg::FLAG_FAULT;
                }
                m::submit_reading(
                    &c.resolve_or_signer(device.as_deref())?,
                    sequence,
                    counter,
                    time_ms.unwrap_or_else(now_ms),
                    flags,
                )
            }
            Self::SetOracles {
                asset_id,
                oracles,
                threshold,
                tolerance_bps,
                ..
            } => {
                let oracles = oracles
                    .iter()
                    .map(|o| c.resolve(o))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                m::set_oracles(asset_id, &oracles, threshold, tolerance_bps)
            }
            Self::OracleReading {
                asset_id,
                period,
                counter,
                ..
            } => m::submit_oracle_reading(asset_id, period, counter),
        }])
    }
}

impl ModuleTx for ContractTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::Open { from, opts, .. }
            | Self::Accept { from, opts, .. }
            | Self::TopUp { from, opts, .. }
            | Self::Settle { from, opts, .. }
            | Self::FundIncentive { from, opts, .. }
            | Self::Close { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::Open {
                asset_id,
                customer,
                price,
                per_units,
                credit_limit,
                settle_within_ms,
                start_ms,
                end_ms,
                maintainer,
                maintainer_bps,
                platform_bps,
                period_ms,
                sla_min_units,
                sla_penalty_per_unit,
                baseline_units,
                rebate_per_unit,
                notice_ms,
                ..
            } => {
                let terms = ContractTerms {
                    price,
                    per_units,
                    credit_limit,
                    settle_within_ms,
                    start_ms,
                    end_ms,
                    maintainer: maintainer.as_deref().map(|m| c.resolve(m)).transpose()?,
                    maintainer_bps,
                    platform_bps,
                    period_ms,
                    sla_min_units,
                    sla_penalty_per_unit,
                    baseline_units,
                    rebate_per_unit,
                    notice_ms,
                };
                m::open_contract(asset_id, &c.resolve(&customer)?, &terms)
            }
            Self::Accept {
                contract_id,
                deposit,
                ..
            } => m::accept_contract(contract_id, deposit.as_ref()),
            Self::TopUp {
                contract_id,
                amount,
                ..
            } => m::top_up(contract_id, &amount),
            Self::Settle { contract_id, .. } => m::settle(contract_id),
            Self::FundIncentive {
                contract_id,
                amount,
                ..
            } => m::fund_incentive(contract_id, &amount),
            Self::Close { contract_id, .. } => m::close_contract(contract_id),
        }])
    }
}

/// `fructus device` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum DeviceCmd {
    /// Sign a device key's attestation with a manufacturer key (the factory
    /// provisioning step); prints the attestation in hex.
    Attest {
        /// Keyring name of the manufacturer's attestation key.
        #[arg(long)]
        manufacturer_key: String,
        /// The device's public key as ALGO:HEX.
        #[arg(long, value_parser = key_arg)]
        device_pubkey: PublicKey,
        /// The asset class id.
        #[arg(long)]
        class: u64,
        /// The asset's serial number.
        #[arg(long)]
        serial: String,
        /// The chain the attestation is for (default: the node's).
        #[arg(long, env = "FRUCTUS_CHAIN_ID")]
        chain_id: Option<String>,
        #[command(flatten)]
        node: NodeOpt,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Sign the manufacturer's re-attestation that lifts a device's current
    /// tamper suspension (after inspecting it); prints it in hex. The
    /// device's key and suspension count are read from the node unless
    /// given.
    Reattest {
        /// Keyring name of the manufacturer's attestation key.
        #[arg(long)]
        manufacturer_key: String,
        /// The device: address or key name.
        device: String,
        /// The device's current public key as ALGO:HEX (default: the node's
        /// record of the key controlling the device's account).
        #[arg(long, value_parser = key_arg)]
        device_pubkey: Option<PublicKey>,
        /// The device's suspension count (default: the node's record); the
        /// re-attestation lifts exactly this suspension.
        #[arg(long)]
        suspensions: Option<u64>,
        /// The chain the re-attestation is for (default: the node's).
        #[arg(long, env = "FRUCTUS_CHAIN_ID")]
        chain_id: Option<String>,
        #[command(flatten)]
        node: NodeOpt,
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Stream realistic readings from a device key to a node.
    Simulate(crate::cmd::simulate::SimulateArgs),
    /// Send a compute provider's heartbeats from its device key.
    Heartbeat(crate::cmd::simulate::HeartbeatArgs),
}

/// Runs a `fructus device` command.
pub(crate) fn run_device(cmd: DeviceCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        DeviceCmd::Simulate(args) => crate::cmd::simulate::run(args, global),
        DeviceCmd::Heartbeat(args) => crate::cmd::simulate::run_heartbeat(args, global),
        DeviceCmd::Attest {
            manufacturer_key,
            device_pubkey,
            class,
            serial,
            chain_id,
            node,
            passphrase,
        } => {
            let chain_id = chain_id_or_node(chain_id, &node)?;
            let key = load_signing_key_with(global, &passphrase, &manufacturer_key)
                .context("manufacturer key")?;
            let attestation = m::attest(&chain_id, &key, &device_pubkey, class, &serial);
            print_attestation(
                global,
                &attestation,
                serde_json::json!({
                    "attestation": hex::encode(&attestation),
                    "manufacturer_key": key.public_key().to_hex(),
                    "device_key": device_pubkey.to_hex(),
                    "class_id": class,
                    "serial": serial,
                    "chain_id": chain_id,
                }),
            )
        }
        DeviceCmd::Reattest {
            manufacturer_key,
            device,
            device_pubkey,
            suspensions,
            chain_id,
            node,
            passphrase,
        } => {
            let device = resolve_account(global, &device)?;
            let chain_id = chain_id_or_node(chain_id, &node)?;
            let (device_pubkey, suspensions) = match (device_pubkey, suspensions) {
                (Some(k), Some(n)) => (k, n),
                (k, n) => {
                    let client = node.client()?;
                    let record = client.get_json(&format!("/v1/devices/{device}"))?;
                    let n = match n {
                        Some(n) => n,
                        None => record
                            .get("suspensions")
                            .and_then(serde_json::Value::as_u64)
                            .context("the node's device record has no suspension count")?,
                    };
                    let k = match k {
                        Some(k) => k,
                        None => match client.account(&device)?.public_key {
                            Some(k) => k,
                            None => serde_json::from_value(
                                record.get("key").cloned().unwrap_or_default(),
                            )
                            .context("the node's device record has no key")?,
                        },
                    };
                    (k, n)
                }
            };
            let key = load_signing_key_with(global, &passphrase, &manufacturer_key)
                .context("manufacturer key")?;
            let attestation = m::reattest(&chain_id, &key, &device, &device_pubkey, suspensions);
            print_attestation(
                global,
                &attestation,
                serde_json::json!({
                    "attestation": hex::encode(&attestation),
                    "manufacturer_key": key.public_key().to_hex(),
                    "device": device,
                    "device_key": device_pubkey.to_hex(),
                    "suspensions": suspensions,
                    "chain_id": chain_id,
                }),
            )
        }
    }
}

/// `--chain-id`, else the chain id the node reports.
fn chain_id_or_node(chain_id: Option<String>, node: &NodeOpt) -> anyhow::Result<String> {
    let chain_id = match chain_id {
        Some(id) => id,
        None => {
            node.client()?
                .status()
                .context("no --chain-id given and the node did not answer")?
                .chain_id
        }
    };
    fructus_types::tx::validate_chain_id(&chain_id)?;
    Ok(chain_id)
}

fn print_attestation(
    global: &GlobalOpts,
    attestation: &[u8],
    json: serde_json::Value,
) -> anyhow::Result<()> {
    match global.output {
        OutputFormat::Text => println!("{}", hex::encode(attestation)),
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&json)?),
    }
    Ok(())
}

/// `fructus query device` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum DeviceQuery {
    /// A device by address (or key name).
    Show {
        /// Address or key name.
        device: String,
    },
    /// Every device an asset had.
    Asset {
        /// Asset id.
        asset_id: u64,
    },
    /// An asset's oracle set.
    Oracles {
        /// Asset id.
        asset_id: u64,
    },
    /// An oracle round.
    Round {
        /// Asset id.
        asset_id: u64,
        /// Period number.
        period: u64,
    },
}

impl ModuleQuery for DeviceQuery {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            DeviceQuery::Show { device } => {
                format!("/v1/devices/{}", resolve_account(global, &device)?)
            }
            DeviceQuery::Asset { asset_id } => format!("/v1/devices/asset/{asset_id}"),
            DeviceQuery::Oracles { asset_id } => format!("/v1/devices/oracles/{asset_id}"),
            DeviceQuery::Round { asset_id, period } => {
                format!("/v1/devices/oracles/{asset_id}/rounds/{period}")
            }
        })
    }
}

/// `fructus query contract` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ContractQuery {
    /// A contract by id: terms, status, charged, owed, splits.
    Show {
        /// Contract id.
        contract_id: u64,
    },
    /// The contracts of an asset.
    Asset {
        /// Asset id.
        asset_id: u64,
    },
    /// The contracts of a customer.
    Customer {
        /// Address or key name.
        customer: String,
    },
}

impl ModuleQuery for ContractQuery {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            ContractQuery::Show { contract_id } => format!("/v1/contracts/{contract_id}"),
            ContractQuery::Asset { asset_id } => format!("/v1/contracts/asset/{asset_id}"),
            ContractQuery::Customer { customer } => format!(
                "/v1/contracts/customer/{}",
                resolve_account(global, &customer)?
            ),
        })
    }
}
