//! A metered asset, ready for readings: a class whose attestation key is
//! the manufacturer's, an asset of alice split 70/30 between alice and bob
//! (10,000 shares), an attested P-256 device whose fees alice grants, and
//! helpers to open contracts and sign readings.

use fructus_app::TxResult;
use fructus_client::{metering as m, tx::msgs};
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_metering::{Contract, Device, MeteringStateReadExt};
use fructus_proto::tx::v1::Message;

use crate::{CHAIN_ID, TestChain, assert_ok, coins, key_for};

/// Name of the manufacturer's attestation key.
pub const MANUFACTURER: &str = "manufacturer";
/// Name of the device key.
pub const METER: &str = "meter";
/// Serial of the fixture asset.
pub const SERIAL: &str = "SN-0001";

/// The fixture: the chain plus the ids it created.
pub struct Metered {
    /// The chain.
    pub chain: TestChain,
    /// The class (created by alice).
    pub class_id: u64,
    /// The asset (owner alice; shares alice 7,000, bob 3,000).
    pub asset_id: u64,
    /// The device's address.
    pub device: Address,
    /// Next reading sequence to use.
    pub sequence: u64,
}

/// The value of `key` in the first event of `kind`.
pub fn attr(result: &TxResult, kind: &str, key: &str) -> String {
    result
        .events
        .iter()
        .find(|e| e.kind == kind)
        .and_then(|e| e.get(key))
        .unwrap_or_else(|| panic!("no {kind}.{key} in {:?}", result.events))
        .to_owned()
}

/// Runs one message signed by `name` (with its account nonce).
pub fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

impl Metered {
    /// Class, asset, shares and an attested, fee-granted device (not yet
    /// under contract).
    pub fn new() -> Self {
        Self::with_unit("cooling-kWh")
    }

    /// [`Metered::new`] with the asset class metering `unit` (`"kWh"` for
    /// a green-energy asset whose readings mint RECs).
    pub fn with_unit(unit: &str) -> Self {
        let mut chain = TestChain::new();
        chain.add_key(MANUFACTURER, key_for(MANUFACTURER, KeyAlgo::Ed25519));
        chain.add_key(METER, key_for(METER, KeyAlgo::P256));
        let mfr = chain.key(MANUFACTURER).public_key();
        let r = exec(
            &mut chain,
            "alice",
            msgs::asset_create_class(
                "CoolBox 5000",
                "Acme Cooling",
                "CB-5000",
                unit,
                "ipfs://bafy/coolbox",
                [7; 32],
                &[mfr],
            ),
        );
        assert_ok(&r);
        let class_id: u64 = attr(&r, "asset.create_class", "class_id").parse().unwrap();
        let r = exec(
            &mut chain,
            "alice",
            msgs::asset_mint(class_id, SERIAL, "u33dc0", Vec::new(), None),
        );
        assert_ok(&r);
        let asset_id: u64 = attr(&r, "asset.mint", "asset_id").parse().unwrap();
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::asset_fractionalize(asset_id, 10_000),
        ));
        let bob = chain.addr("bob");
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::send(&bob, &coins(&format!("3000share/{asset_id}"))),
        ));
        let mut fixture = Metered {
            chain,
            class_id,
            asset_id,
            device: key_for(METER, KeyAlgo::P256).public_key().address(),
            sequence: 1,
        };
        let r = fixture.register(METER, "alice");
        assert_ok(&r);
        let device = fixture.device;
        assert_ok(&exec(
            &mut fixture.chain,
            "alice",
            msgs::grant_fee(&device, &coins("100000000ufrx"), 0, &[]),
        ));
        fixture
    }

    /// The manufacturer's attestation of `key_name`'s key for the asset.
    pub fn attestation(&self, key_name: &str) -> Vec<u8> {
        m::attest(
            CHAIN_ID,
            self.chain.key(MANUFACTURER),
            &self.chain.key(key_name).public_key(),
            self.class_id,
            SERIAL,
        )
    }

    /// Registers `key_name`'s key as the asset's device, signed by `by`
    /// (the key consents to exactly that).
    pub fn register(&mut self, key_name: &str, by: &str) -> TxResult {
        let att = self.attestation(key_name);
        let key = self.chain.key(key_name).public_key();
        let consent = self.consent(key_name, by);
        exec(
            &mut self.chain,
            by,
            m::register_device(self.asset_id, &key, SERIAL, &att, 0, &consent),
        )
    }

    /// `key_name`'s consent to being registered to the asset by `by`.
    pub fn consent(&self, key_name: &str, by: &str) -> Vec<u8> {
        m::registration_consent(
            CHAIN_ID,
            self.chain.key(key_name),
            self.asset_id,
            &self.chain.addr(by),
        )
    }

    /// The manufacturer's re-attestation of the device's current key for
    /// its current suspension.
    pub fn reattestation(&self) -> Vec<u8> {
        let d = self.device_record();
        m::reattest(
            CHAIN_ID,
            self.chain.key(MANUFACTURER),
            &d.address,
            &d.key,
            d.suspensions,
        )
    }

    /// Opens `terms` for customer dave (signed by alice), dave accepts with
    /// `deposit`, and — for a contract metered by the device that has
    /// started — the device sends its baseline reading (the contract's
    /// first reading, which bills nothing); returns the contract id.
    pub fn contract(&mut self, terms: &m::ContractTerms, deposit: Option<&str>) -> u64 {
        let dave = self.chain.addr("dave");
        let r = exec(
            &mut self.chain,
            "alice",
            m::open_contract(self.asset_id, &dave, terms),
        );
        assert_ok(&r);
        let id: u64 = attr(&r, "metering.open_contract", "contract_id")
            .parse()
            .unwrap();
        let deposit = deposit.map(crate::coin);
        assert_ok(&exec(
            &mut self.chain,
            "dave",
            m::accept_contract(id, deposit.as_ref()),
        ));
        let c = self.contract_record(id);
        if c.terms.oracles.is_none() && c.terms.start_ms <= self.chain.time() {
            let counter = self.device_record().counter;
            assert_ok(&self.read(counter));
        }
        id
    }

    /// A nonceless reading transaction signed by `key_name`, fees paid by
    /// alice's grant.
    pub fn reading_tx(&self, key_name: &str, sequence: u64, counter: u64, flags: u32) -> Vec<u8> {
        let alice = self.chain.addr("alice");
        fructus_client::tx::TxBuilder::new(CHAIN_ID)
            .nonce(0)
            .payer(alice)
            .message(m::submit_reading(
                &self.device,
                sequence,
                counter,
                self.chain.time(),
                flags,
            ))
            .sign(self.chain.key(key_name))
    }

    /// Submits the next reading (own block) at `counter`.
    pub fn read(&mut self, counter: u64) -> TxResult {
        let tx = self.reading_tx(METER, self.sequence, counter, 0);
        self.sequence += 1;
        self.chain.run(tx)
    }

    /// The device record.
    pub fn device_record(&self) -> Device {
        let snap = self.chain.app.snapshot().unwrap();
        snap.require_device(&self.device).unwrap()
    }

    /// A contract record.
    pub fn contract_record(&self, id: u64) -> Contract {
        let snap = self.chain.app.snapshot().unwrap();
        snap.require_contract(id).unwrap()
    }

    /// The income `holder` can claim from the asset now, in ufrx.
    pub fn pending_ufrx(&self, holder: &str) -> u128 {
        use fructus_asset::AssetStateReadExt;
        let snap = self.chain.app.snapshot().unwrap();
        snap.pending_income(self.asset_id, &self.chain.addr(holder))
            .unwrap()
            .iter()
            .find(|c| c.denom.as_str() == "ufrx")
            .map_or(0, |c| c.amount.value())
    }

    /// A signing key by name (for keys added later).
    pub fn key(&self, name: &str) -> &SigningKey {
        self.chain.key(name)
    }
}

impl Default for Metered {
    fn default() -> Self {
        Self::new()
    }
}
