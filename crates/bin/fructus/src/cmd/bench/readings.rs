//! `--load readings` of `fructus bench app|node|network`: meter readings
//! from D registered, attested devices, each under a prepaid contract — the
//! product's hot path (SPEC §4 device / metering).
//!
//! Set-up (not timed), in ordinary transactions (blocks of the in-process
//! app, or submissions to the node): a KYC'd owner creates a device class whose attestation key
//! is the manufacturer's, mints D assets and fractionalizes each into
//! 10,000 shares, registers one device per asset with the manufacturer's
//! attestation, grants each device its fees, and opens a prepaid contract
//! per asset (1 ufrx per 2 units, maintainer 10 %, platform 2 %) that a
//! customer accepts with a deposit covering the whole run.
//!
//! The readings: reading `i` comes from device `i % D` with sequence
//! `i / D + 1` and a counter 3 units higher than the device's previous one,
//! timed at the block it lands in (app) or at signing (node); nonceless
//! (the sequence is the replay protection), fees paid by the owner's grant. So every reading is billed,
//! split three ways and credited to the asset's shareholders.

use fructus_app::{App, AppState, BlockInfo, Genesis};
use fructus_bank::{BankGenesis, GenesisBalance};
use fructus_client::{
    metering as m,
    tx::{TxBuilder, msgs},
};
use fructus_component::Event;
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_identity::{GenesisAttestation, IdentityGenesis};
use fructus_types::{Amount, BlockTime, Coin, Coins, Denom};
use rayon::prelude::*;

use super::app::{CHAIN_ID, GENESIS_MS};

/// Units each reading adds to its device's counter.
const UNITS_PER_READING: u64 = 3;
/// Shares each asset is split into.
const SHARES: u64 = 10_000;

/// The accounts of the set-up besides the devices.
pub(crate) struct Roles {
    /// A KYC'd enterprise with funds: creates, registers, grants, opens.
    pub(crate) owner: SigningKey,
    /// Its next nonce.
    pub(crate) owner_nonce: u64,
    /// A funded account: accepts the contracts and escrows.
    pub(crate) customer: SigningKey,
    /// Its next nonce.
    pub(crate) customer_nonce: u64,
    manufacturer: SigningKey,
    maintainer: Address,
    regulator: Address,
}

fn role(name: &str) -> anyhow::Result<SigningKey> {
    let seed = fructus_crypto::sha256(format!("fructus-bench-role-{name}").as_bytes());
    Ok(SigningKey::from_seed(KeyAlgo::Ed25519, &seed)?)
}

impl Roles {
    /// Bench-made owner and customer (funded and attested by [`genesis`]).
    pub(crate) fn generated() -> anyhow::Result<Self> {
        Self::with(role("owner")?, 0, role("customer")?, 0)
    }

    /// Given owner and customer (e.g. a testnet's demo keys).
    pub(crate) fn with(
        owner: SigningKey,
        owner_nonce: u64,
        customer: SigningKey,
        customer_nonce: u64,
    ) -> anyhow::Result<Self> {
        Ok(Roles {
            owner,
            owner_nonce,
            customer,
            customer_nonce,
            manufacturer: role("manufacturer")?,
            maintainer: role("maintainer")?.public_key().address(),
            regulator: role("regulator")?.public_key().address(),
        })
    }
}

fn ufrx(amount: u128) -> anyhow::Result<Coins> {
    Ok(Coins::new(vec![Coin::new(Denom::native(), amount)])?)
}

/// The genesis: owner and customer funded, the owner a KYC'd enterprise.
pub(crate) fn genesis(roles: &Roles) -> anyhow::Result<Genesis> {
    let rich = 1_000_000_000_000_000_000u128;
    Ok(Genesis {
        chain_id: CHAIN_ID.into(),
        genesis_time: "2026-01-01T00:00:00Z".into(),
        app_state: AppState {
            bank: BankGenesis {
                denoms: Vec::new(),
                balances: vec![
                    GenesisBalance {
                        address: roles.owner.public_key().address(),
                        coins: ufrx(rich)?,
                    },
                    GenesisBalance {
                        address: roles.customer.public_key().address(),
                        coins: ufrx(rich)?,
                    },
                ],
            },
            identity: IdentityGenesis {
                regulators: vec![roles.regulator],
                attestations: vec![GenesisAttestation {
                    subject: roles.owner.public_key().address(),
                    provider: roles.regulator,
                    level: 3,
                    expiry_height: 0,
                    expiry_time_ms: 0,
                    kyc_file_sha256: hex::encode(fructus_crypto::sha256(b"bench owner KYC")),
                }],
                ..IdentityGenesis::default()
            },
            ..AppState::default()
        },
    })
}

/// Events of each transaction of a set-up round, in order.
pub(crate) type RoundEvents = anyhow::Result<Vec<Vec<Event>>>;

/// Runs set-up transactions as one block of `app` each call (heights 1,
/// 2, …); every transaction must succeed. Returns each one's events.
pub(crate) fn app_rounds(app: &mut App) -> impl FnMut(&[Vec<u8>]) -> RoundEvents + '_ {
    let mut height = 0u64;
    move |txs| {
        height += 1;
        app.begin_block(BlockInfo::new(
            height,
            BlockTime(GENESIS_MS + height * 1_000),
        ))?;
        let results = app.deliver_txs(txs)?;
        app.end_block()?;
        app.commit()?;
        if let Some(bad) = results.iter().find(|r| !r.is_ok()) {
            anyhow::bail!(
                "set-up block {height} failed: {}#{} {}",
                bad.codespace,
                bad.code,
                bad.log
            );
        }
        Ok(results.into_iter().map(|r| r.events).collect())
    }
}

fn ids(results: &[Vec<Event>], kind: &str, key: &str) -> anyhow::Result<Vec<u64>> {
    results
        .iter()
        .flat_map(|events| events.iter())
        .filter(|e| e.kind == kind)
        .map(|e| {
            e.get(key)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| anyhow::anyhow!("{kind} without a numeric {key}"))
        })
        .collect()
}

/// Registers the devices and opens their contracts, in four rounds of
/// `run` (each round's transactions must all commit before the next).
pub(crate) fn setup(
    run: &mut dyn FnMut(&[Vec<u8>]) -> RoundEvents,
    roles: &Roles,
    devices: &[SigningKey],
    readings_per_device: u64,
) -> anyhow::Result<()> {
    let owner = &roles.owner;
    let owner_address = owner.public_key().address();
    let mut nonce = roles.owner_nonce;
    let mut owner_tx = |msg| {
        let tx = TxBuilder::new(CHAIN_ID)
            .nonce(nonce)
            .message(msg)
            .sign(owner);
        nonce += 1;
        tx
    };
    let class = run(&[owner_tx(msgs::asset_create_class(
        "Bench chiller",
        "Acme",
        "B-1",
        "cooling-kWh",
        "https://acme.example/b1.json",
        [7; 32],
        &[roles.manufacturer.public_key()],
    ))])?;
    let class_id = ids(&class, "asset.create_class", "class_id")?
        .first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("no class created"))?;
    let serial = |d: usize| format!("SN-{d:06}");
    let mints: Vec<Vec<u8>> = (0..devices.len())
        .map(|d| {
            owner_tx(msgs::asset_mint(
                class_id,
                &serial(d),
                "bench",
                Vec::new(),
                None,
            ))
        })
        .collect();
    let assets = ids(&run(&mints)?, "asset.mint", "asset_id")?;
    let customer = roles.customer.public_key().address();
    let mut terms = m::ContractTerms::prepaid(Coin::new(Denom::native(), 1u128), 2);
    terms.maintainer = Some(roles.maintainer);
    terms.maintainer_bps = 1_000;
    terms.platform_bps = 200;
    let mut wiring = Vec::with_capacity(devices.len() * 4);
    for (d, (key, asset)) in devices.iter().zip(&assets).enumerate() {
        let attestation = m::attest(
            CHAIN_ID,
            &roles.manufacturer,
            &key.public_key(),
            class_id,
            &serial(d),
        );
        let consent = m::registration_consent(CHAIN_ID, key, *asset, &owner_address);
        wiring.push(owner_tx(msgs::asset_fractionalize(*asset, SHARES)));
        wiring.push(owner_tx(m::register_device(
            *asset,
            &key.public_key(),
            &serial(d),
            &attestation,
            0,
            &consent,
        )));
        wiring.push(owner_tx(msgs::grant_fee(
            &key.public_key().address(),
            &ufrx(1_000_000_000_000)?,
            0,
            &[],
        )));
        wiring.push(owner_tx(m::open_contract(*asset, &customer, &terms)));
    }
    let contracts = ids(&run(&wiring)?, "metering.open_contract", "contract_id")?;
    // Enough escrow for every reading (1 ufrx per 2 units, rounded up).
    let deposit = Coin::new(
        Denom::native(),
        Amount::from(u128::from(readings_per_device) * u128::from(UNITS_PER_READING) + 10),
    );
    let accepts: Vec<Vec<u8>> = contracts
        .iter()
        .enumerate()
        .map(|(i, id)| {
            TxBuilder::new(CHAIN_ID)
                .nonce(roles.customer_nonce + i as u64)
                .message(m::accept_contract(*id, Some(&deposit)))
                .sign(&roles.customer)
        })
        .collect();
    run(&accepts)?;
    Ok(())
}

/// `count` readings in submission order; reading `i` is timed
/// `time_ms(i)` (not decreasing in `i` per device).
pub(crate) fn readings(
    roles: &Roles,
    devices: &[SigningKey],
    count: usize,
    time_ms: impl Fn(usize) -> u64 + Sync,
) -> anyhow::Result<Vec<Vec<u8>>> {
    let d = devices.len();
    if d == 0 {
        anyhow::bail!("no devices");
    }
    let payer = roles.owner.public_key().address();
    let addresses: Vec<Address> = devices.iter().map(|k| k.public_key().address()).collect();
    Ok((0..count)
        .into_par_iter()
        .filter_map(|i| {
            let key = devices.get(i % d)?;
            let device = addresses.get(i % d)?;
            let sequence = (i / d) as u64 + 1;
            Some(
                TxBuilder::new(CHAIN_ID)
                    .nonce(0)
                    .payer(payer)
                    .message(m::submit_reading(
                        device,
                        sequence,
                        sequence * UNITS_PER_READING,
                        time_ms(i),
                        0,
                    ))
                    .sign(key),
            )
        })
        .collect())
}
