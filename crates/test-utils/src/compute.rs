//! A compute provider, ready for orders: a `gpu-hour` class whose
//! attestation key is the manufacturer's, a GPU asset of alice split
//! 70/30 between alice and bob (10,000 shares), an attested P-256 device
//! whose fees alice grants, a stablecoin `uusd` issued by carol with
//! 1,000,000 uusd minted to dave (the buyer), and the asset registered as
//! a provider by alice (8 × H100, carol maintains it for 10 %).

use fructus_app::TxResult;
use fructus_client::{metering as m, tx::msgs};
use fructus_compute::{ComputeStateReadExt, Order, Provider, Receipt};
use fructus_crypto::{Address, KeyAlgo};
use fructus_proto::compute::v1::VerificationMode;
use fructus_types::Denom;

use crate::{
    CHAIN_ID, TestChain, assert_ok, coin, coins, key_for,
    metering::{MANUFACTURER, attr, exec},
};

/// Name of the GPU server's device key.
pub const GPU_DEVICE: &str = "gpu-device";
/// Serial of the fixture GPU asset.
pub const GPU_SERIAL: &str = "GPU-0001";
/// The bond the fixture provider posts (ufrx).
pub const BOND: u128 = 200_000_000;
/// GPUs of the fixture provider.
pub const GPUS: u32 = 8;
/// The fixture's GPU model.
pub const MODEL: &str = "H100";
/// A task spec hash.
pub const SPEC: [u8; 32] = [5; 32];
/// A result hash.
pub const RESULT: [u8; 32] = [9; 32];

/// The fixture: the chain plus the ids it created.
pub struct Computed {
    /// The chain.
    pub chain: TestChain,
    /// The `gpu-hour` class.
    pub class_id: u64,
    /// The GPU asset (owner alice; shares alice 7,000, bob 3,000).
    pub asset_id: u64,
    /// The device's address.
    pub device: Address,
    /// Next heartbeat sequence.
    pub sequence: u64,
}

impl Computed {
    /// Class, asset, shares, attested fee-granted device, stablecoin and
    /// the registered provider (offline until its first heartbeat).
    pub fn new() -> Self {
        let mut f = Self::unregistered();
        let carol = f.chain.addr("carol");
        let r = f.exec(
            "alice",
            msgs::compute_register_provider(
                f.asset_id,
                MODEL,
                GPUS,
                0,
                "rec-batch-7",
                BOND,
                Some(&carol),
                1_000,
            ),
        );
        assert_ok(&r);
        f
    }

    /// Everything but the provider registration.
    pub fn unregistered() -> Self {
        let mut chain = TestChain::new();
        chain.add_key(MANUFACTURER, key_for(MANUFACTURER, KeyAlgo::Ed25519));
        chain.add_key(GPU_DEVICE, key_for(GPU_DEVICE, KeyAlgo::P256));
        let mfr = chain.key(MANUFACTURER).public_key();
        let r = exec(
            &mut chain,
            "alice",
            msgs::asset_create_class(
                "GPU server",
                "Acme Compute",
                "AC-8xH100",
                "gpu-hour",
                "ipfs://bafy/gpu",
                [8; 32],
                &[mfr],
            ),
        );
        assert_ok(&r);
        let class_id: u64 = attr(&r, "asset.create_class", "class_id").parse().unwrap();
        let r = exec(
            &mut chain,
            "alice",
            msgs::asset_mint(class_id, GPU_SERIAL, "u33dc0", Vec::new(), None),
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
        let key = chain.key(GPU_DEVICE).public_key();
        let att = m::attest(
            CHAIN_ID,
            chain.key(MANUFACTURER),
            &key,
            class_id,
            GPU_SERIAL,
        );
        let consent = m::registration_consent(
            CHAIN_ID,
            chain.key(GPU_DEVICE),
            asset_id,
            &chain.addr("alice"),
        );
        assert_ok(&exec(
            &mut chain,
            "alice",
            m::register_device(asset_id, &key, GPU_SERIAL, &att, 0, &consent),
        ));
        let device = key.address();
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::grant_fee(&device, &coins("100000000ufrx"), 0, &[]),
        ));
        let uusd: Denom = "uusd".parse().unwrap();
        assert_ok(&exec(
            &mut chain,
            "carol",
            msgs::create_denom(&uusd, "USD", 6, false),
        ));
        let dave = chain.addr("dave");
        assert_ok(&exec(
            &mut chain,
            "carol",
            msgs::mint(&coin("1000000uusd"), &dave),
        ));
        Computed {
            chain,
            class_id,
            asset_id,
            device,
            sequence: 1,
        }
    }

    /// Runs one message signed by `name`.
    pub fn exec(&mut self, name: &str, msg: fructus_proto::tx::v1::Message) -> TxResult {
        exec(&mut self.chain, name, msg)
    }

    /// The device's next heartbeat (own block), fees paid by alice's grant.
    pub fn heartbeat(&mut self, gpus_online: u32) -> TxResult {
        let tx = self.heartbeat_tx(GPU_DEVICE, self.sequence, gpus_online);
        self.sequence += 1;
        self.chain.run(tx)
    }

    /// A heartbeat signed by `key_name` with its account nonce.
    pub fn heartbeat_tx(&self, key_name: &str, sequence: u64, gpus_online: u32) -> Vec<u8> {
        let alice = self.chain.addr("alice");
        let signer = self.chain.addr(key_name);
        let mut tx = fructus_client::tx::TxBuilder::new(CHAIN_ID).nonce(self.chain.nonce(&signer));
        if key_name == GPU_DEVICE {
            tx = tx.payer(alice);
        }
        tx.message(msgs::compute_heartbeat(
            self.asset_id,
            sequence,
            self.chain.time(),
            gpus_online,
        ))
        .sign(self.chain.key(key_name))
    }

    /// The window of the next block.
    pub fn window_now(&self) -> u64 {
        let snap = self.chain.app.snapshot().unwrap();
        snap.epoch().unwrap().window_at(self.chain.time() + 1_000)
    }

    /// Dave posts a funded buyer-confirm-style order in `mode`; returns
    /// its id.
    pub fn post(
        &mut self,
        hours: u64,
        max_price: u128,
        escrow: u128,
        mode: VerificationMode,
        verifier: Option<&Address>,
    ) -> u64 {
        let deadline = self.chain.time() + 3 * 3_600_000;
        let r = self.exec(
            "dave",
            msgs::compute_post_order(
                SPEC,
                MODEL,
                hours,
                &coin(&format!("{max_price}uusd")),
                deadline,
                mode,
                verifier,
                &coin(&format!("{escrow}uusd")),
                false,
            ),
        );
        assert_ok(&r);
        attr(&r, "compute.post_order", "order_id").parse().unwrap()
    }

    /// The provider record.
    pub fn provider(&self) -> Provider {
        self.chain
            .app
            .snapshot()
            .unwrap()
            .require_provider(self.asset_id)
            .unwrap()
    }

    /// An order record.
    pub fn order(&self, id: u64) -> Order {
        self.chain
            .app
            .snapshot()
            .unwrap()
            .require_order(id)
            .unwrap()
    }

    /// An order's receipt.
    pub fn receipt(&self, id: u64) -> Option<Receipt> {
        self.chain.app.snapshot().unwrap().receipt(id).unwrap()
    }

    /// The income `holder` can claim from the asset now, in uusd.
    pub fn pending_uusd(&self, holder: &str) -> u128 {
        use fructus_asset::AssetStateReadExt;
        let snap = self.chain.app.snapshot().unwrap();
        snap.pending_income(self.asset_id, &self.chain.addr(holder))
            .unwrap()
            .iter()
            .find(|c| c.denom.as_str() == "uusd")
            .map_or(0, |c| c.amount.value())
    }
}

impl Default for Computed {
    fn default() -> Self {
        Self::new()
    }
}
