//! Building and signing transactions (offline: no node needed).
//!
//! [`TxBuilder`] fills a `TxBody`; [`msgs`] builds each message kind from
//! domain values. Signing uses the envelope rules of
//! `fructus_types::tx` (exact body bytes, chain id domain-separated).

use fructus_crypto::{Address, PublicKey, SigningKey};
use fructus_proto::tx::v1 as pb;
use fructus_types::{
    Coin, Denom,
    tx::{encode_signed, public_key_to_proto},
};

/// Default gas limit for a simple transaction.
pub const DEFAULT_GAS_LIMIT: u64 = 200_000;
/// Default minimum price: 10 ufrx per 1,000 gas (the genesis default).
pub const DEFAULT_PRICE_PER_KGAS: u128 = 10;

/// Collects the fields of a transaction body.
#[derive(Debug, Clone)]
pub struct TxBuilder {
    chain_id: String,
    nonce: u64,
    fee: Option<Coin>,
    gas_limit: u64,
    payer: Option<Address>,
    timeout_height: u64,
    memo: String,
    messages: Vec<pb::Message>,
}

impl TxBuilder {
    /// A builder for `chain_id` with nonce 0, default gas and fee.
    pub fn new(chain_id: impl Into<String>) -> Self {
        TxBuilder {
            chain_id: chain_id.into(),
            nonce: 0,
            fee: None,
            gas_limit: DEFAULT_GAS_LIMIT,
            payer: None,
            timeout_height: 0,
            memo: String::new(),
            messages: Vec::new(),
        }
    }

    /// Sets the nonce (the signer account's next nonce).
    pub fn nonce(mut self, nonce: u64) -> Self {
        self.nonce = nonce;
        self
    }

    /// Sets the fee; default: gas limit × the default minimum price in ufrx.
    pub fn fee(mut self, fee: Coin) -> Self {
        self.fee = Some(fee);
        self
    }

    /// Sets the gas limit.
    pub fn gas_limit(mut self, gas: u64) -> Self {
        self.gas_limit = gas;
        self
    }

    /// Has `payer` pay the fee through a fee grant.
    pub fn payer(mut self, payer: Address) -> Self {
        self.payer = Some(payer);
        self
    }

    /// Refuses the transaction in blocks above `height` (0 = never).
    pub fn timeout_height(mut self, height: u64) -> Self {
        self.timeout_height = height;
        self
    }

    /// Sets the memo.
    pub fn memo(mut self, memo: impl Into<String>) -> Self {
        self.memo = memo.into();
        self
    }

    /// Appends a message.
    pub fn message(mut self, msg: pb::Message) -> Self {
        self.messages.push(msg);
        self
    }

    /// The fee that will be used.
    pub fn effective_fee(&self) -> Coin {
        self.fee
            .clone()
            .unwrap_or_else(|| default_fee(self.gas_limit))
    }

    /// The body for `signer`.
    pub fn body(&self, signer: &PublicKey) -> pb::TxBody {
        pb::TxBody {
            chain_id: self.chain_id.clone(),
            signer: Some(public_key_to_proto(signer)),
            nonce: self.nonce,
            fee: Some(pb::Fee {
                amount: Some(self.effective_fee().to_proto()),
                gas_limit: self.gas_limit,
                payer: self
                    .payer
                    .map(|a| a.as_bytes().to_vec().into())
                    .unwrap_or_default(),
            }),
            timeout_height: self.timeout_height,
            memo: self.memo.clone(),
            messages: self.messages.clone(),
        }
    }

    /// Encodes the body and signs it: the bytes to broadcast.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        encode_signed(&self.body(&key.public_key()), key)
    }
}

/// Gas limit × the default minimum gas price, in ufrx, rounded up.
pub fn default_fee(gas_limit: u64) -> Coin {
    let amount = u128::from(gas_limit)
        .saturating_mul(DEFAULT_PRICE_PER_KGAS)
        .div_ceil(1_000);
    Coin::new(Denom::native(), amount)
}

/// Constructors for every message kind.
pub mod msgs {
    use fructus_crypto::{Address, SigningKey};
    use fructus_proto::{
        asset::v1 as asset, auth::v1 as auth, bank::v1 as bank, tx::v1::Message,
        tx::v1::message::Sum,
    };
    use fructus_types::{Coin, Coins, Denom, tx::public_key_to_proto};

    fn addr(a: &Address) -> prost::bytes::Bytes {
        a.as_bytes().to_vec().into()
    }

    fn wrap(sum: Sum) -> Message {
        Message { sum: Some(sum) }
    }

    /// `bank/send`.
    pub fn send(to: &Address, amount: &Coins) -> Message {
        wrap(Sum::BankSend(bank::MsgSend {
            to: addr(to),
            amount: amount.to_proto(),
        }))
    }

    /// `bank/multi_send`.
    pub fn multi_send(outputs: &[(Address, Coins)]) -> Message {
        wrap(Sum::BankMultiSend(bank::MsgMultiSend {
            outputs: outputs
                .iter()
                .map(|(to, amount)| bank::Output {
                    to: addr(to),
                    amount: amount.to_proto(),
                })
                .collect(),
        }))
    }

    /// `bank/create_denom`.
    pub fn create_denom(denom: &Denom, symbol: &str, decimals: u32, kyc_only: bool) -> Message {
        wrap(Sum::BankCreateDenom(bank::MsgCreateDenom {
            denom: denom.to_string(),
            symbol: symbol.to_owned(),
            decimals,
            kyc_only,
        }))
    }

    /// `bank/mint`.
    pub fn mint(amount: &Coin, to: &Address) -> Message {
        wrap(Sum::BankMint(bank::MsgMint {
            amount: Some(amount.to_proto()),
            to: addr(to),
        }))
    }

    /// `bank/burn`.
    pub fn burn(amount: &Coin) -> Message {
        wrap(Sum::BankBurn(bank::MsgBurn {
            amount: Some(amount.to_proto()),
        }))
    }

    /// `auth/grant_fee`; `expiry_height` 0 = never.
    pub fn grant_fee(
        grantee: &Address,
        spend_limit: &Coins,
        expiry_height: u64,
        allowed: &[String],
    ) -> Message {
        wrap(Sum::AuthGrantFee(auth::MsgGrantFee {
            grantee: addr(grantee),
            spend_limit: spend_limit.to_proto(),
            expiry_height,
            allowed_messages: allowed.to_vec(),
        }))
    }

    /// `auth/revoke_fee`.
    pub fn revoke_fee(grantee: &Address) -> Message {
        wrap(Sum::AuthRevokeFee(auth::MsgRevokeFee {
            grantee: addr(grantee),
        }))
    }

    /// `auth/rotate_key`: `new_key` signs its consent to control `account`
    /// from the transaction with `nonce` on `chain_id`.
    pub fn rotate_key(
        new_key: &SigningKey,
        chain_id: &str,
        account: &Address,
        nonce: u64,
    ) -> Message {
        let proof = new_key.sign(&fructus_auth::msg::rotate_key_sign_bytes(
            chain_id, account, nonce,
        ));
        wrap(Sum::AuthRotateKey(auth::MsgRotateKey {
            new_key: Some(public_key_to_proto(&new_key.public_key())),
            new_key_signature: proof.into(),
        }))
    }

    /// A document of an asset (`asset/mint`): name, SHA-256, URI.
    pub fn asset_document(name: &str, sha256: [u8; 32], uri: &str) -> asset::Document {
        asset::Document {
            name: name.to_owned(),
            sha256: sha256.to_vec().into(),
            uri: uri.to_owned(),
        }
    }

    /// `asset/create_class`.
    pub fn asset_create_class(
        name: &str,
        manufacturer: &str,
        model: &str,
        unit: &str,
        metadata_uri: &str,
        metadata_sha256: [u8; 32],
        attestation_keys: &[fructus_crypto::PublicKey],
    ) -> Message {
        wrap(Sum::AssetCreateClass(asset::MsgCreateClass {
            name: name.to_owned(),
            manufacturer: manufacturer.to_owned(),
            model: model.to_owned(),
            unit: unit.to_owned(),
            metadata_uri: metadata_uri.to_owned(),
            metadata_sha256: metadata_sha256.to_vec().into(),
            attestation_keys: attestation_keys.iter().map(public_key_to_proto).collect(),
        }))
    }

    /// `asset/update_attestation_keys`.
    pub fn asset_update_attestation_keys(
        class_id: u64,
        add: &[fructus_crypto::PublicKey],
        remove: &[fructus_crypto::PublicKey],
    ) -> Message {
        wrap(Sum::AssetUpdateAttestationKeys(
            asset::MsgUpdateAttestationKeys {
                class_id,
                add: add.iter().map(public_key_to_proto).collect(),
                remove: remove.iter().map(public_key_to_proto).collect(),
            },
        ))
    }

    /// `asset/set_manager`.
    pub fn asset_set_manager(class_id: u64, manager: &Address, authorized: bool) -> Message {
        wrap(Sum::AssetSetManager(asset::MsgSetManager {
            class_id,
            manager: addr(manager),
            authorized,
        }))
    }

    /// `asset/mint`; `location` "" = none, `owner` `None` = the signer.
    pub fn asset_mint(
        class_id: u64,
        serial: &str,
        location: &str,
        documents: Vec<asset::Document>,
        owner: Option<&Address>,
    ) -> Message {
        wrap(Sum::AssetMint(asset::MsgMintAsset {
            class_id,
            serial: serial.to_owned(),
            location: location.to_owned(),
            documents,
            owner: owner.map(addr).unwrap_or_default(),
        }))
    }

    /// `asset/transfer` (the whole NFT).
    pub fn asset_transfer(asset_id: u64, to: &Address) -> Message {
        wrap(Sum::AssetTransfer(asset::MsgTransferAsset {
            asset_id,
            to: addr(to),
        }))
    }

    /// `asset/set_status`: `status` is `active`, `maintenance` or `retired`
    /// (anything else is sent as unspecified and refused by the chain).
    pub fn asset_set_status(asset_id: u64, status: &str) -> Message {
        let status = match status {
            "active" => asset::AssetStatus::Active,
            "maintenance" => asset::AssetStatus::Maintenance,
            "retired" => asset::AssetStatus::Retired,
            _ => asset::AssetStatus::Unspecified,
        };
        wrap(Sum::AssetSetStatus(asset::MsgSetAssetStatus {
            asset_id,
            status: status.into(),
        }))
    }

    /// `asset/fractionalize`; `shares` 0 = the default 10,000.
    pub fn asset_fractionalize(asset_id: u64, shares: u64) -> Message {
        wrap(Sum::AssetFractionalize(asset::MsgFractionalize {
            asset_id,
            shares,
        }))
    }

    /// `asset/redeem`.
    pub fn asset_redeem(asset_id: u64) -> Message {
        wrap(Sum::AssetRedeem(asset::MsgRedeem { asset_id }))
    }

    /// `asset/claim_income`.
    pub fn asset_claim_income(asset_ids: &[u64]) -> Message {
        wrap(Sum::AssetClaimIncome(asset::MsgClaimIncome {
            asset_ids: asset_ids.to_vec(),
        }))
    }

    /// `asset/deposit_income`.
    pub fn asset_deposit_income(asset_id: u64, amount: &Coin) -> Message {
        wrap(Sum::AssetDepositIncome(asset::MsgDepositIncome {
            asset_id,
            amount: Some(amount.to_proto()),
        }))
    }

    /// `identity/attest_kyc` (expiries 0 = none).
    pub fn identity_attest_kyc(
        subject: &Address,
        level: u32,
        expiry_height: u64,
        expiry_time_ms: u64,
        kyc_file_sha256: [u8; 32],
    ) -> Message {
        wrap(Sum::IdentityAttestKyc(
            fructus_proto::identity::v1::MsgAttestKyc {
                subject: addr(subject),
                level,
                expiry_height,
                expiry_time_ms,
                kyc_file_sha256: kyc_file_sha256.to_vec().into(),
            },
        ))
    }

    /// `identity/revoke_attestation`.
    pub fn identity_revoke_attestation(
        subject: &Address,
        provider: &Address,
        reason: &str,
    ) -> Message {
        wrap(Sum::IdentityRevokeAttestation(
            fructus_proto::identity::v1::MsgRevokeAttestation {
                subject: addr(subject),
                provider: addr(provider),
                reason: reason.to_owned(),
            },
        ))
    }

    /// `identity/accredit_provider`.
    pub fn identity_accredit_provider(provider: &Address) -> Message {
        wrap(Sum::IdentityAccreditProvider(
            fructus_proto::identity::v1::MsgAccreditProvider {
                provider: addr(provider),
            },
        ))
    }

    /// `identity/freeze`.
    pub fn identity_freeze(account: &Address, reason: &str) -> Message {
        wrap(Sum::IdentityFreeze(
            fructus_proto::identity::v1::MsgFreeze {
                account: addr(account),
                reason: reason.to_owned(),
            },
        ))
    }

    /// `identity/register_encryption_key`: the signer (a regulator) publishes
    /// the X25519 key regulator-only records are sealed to, with the ed25519
    /// records key it belongs to and that key's possession proof (see
    /// `fructus_identity::records::possession_bytes`).
    pub fn identity_register_encryption_key(
        x25519_pubkey: [u8; 32],
        records_key: [u8; 32],
        possession_proof: &[u8],
    ) -> Message {
        wrap(Sum::IdentityRegisterEncryptionKey(
            fructus_proto::identity::v1::MsgRegisterEncryptionKey {
                x25519_pubkey: x25519_pubkey.to_vec().into(),
                records_key: records_key.to_vec().into(),
                possession_proof: possession_proof.to_vec().into(),
            },
        ))
    }

    /// `identity/store_record`: a record sealed with
    /// `fructus_identity::records::seal` (see `StoreRecord::to_proto`).
    pub fn identity_store_record(record: fructus_proto::identity::v1::MsgStoreRecord) -> Message {
        wrap(Sum::IdentityStoreRecord(record))
    }

    /// `identity/unfreeze`.
    pub fn identity_unfreeze(account: &Address, reason: &str) -> Message {
        wrap(Sum::IdentityUnfreeze(
            fructus_proto::identity::v1::MsgUnfreeze {
                account: addr(account),
                reason: reason.to_owned(),
            },
        ))
    }
    /// Commission settings of a new validator, basis points.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct CommissionBps {
        /// Rate.
        pub rate: u32,
        /// Highest rate ever allowed.
        pub max_rate: u32,
        /// Largest change per day.
        pub max_change: u32,
    }

    /// The consensus key's proof of possession for `operator` on
    /// `chain_id` (the `consensus_key_proof` of `staking/create_validator`).
    pub fn consensus_key_proof(
        consensus_key: &SigningKey,
        chain_id: &str,
        operator: &Address,
    ) -> Vec<u8> {
        consensus_key.sign(&fructus_staking::msg::consensus_key_possession_bytes(
            chain_id,
            operator,
            &consensus_key.public_key(),
        ))
    }

    /// `staking/create_validator`: the signer operates a new validator
    /// with the ed25519 `consensus_key` and bonds `self_bond` ufrx;
    /// `proof` is [`consensus_key_proof`].
    pub fn staking_create_validator(
        consensus_key: &fructus_crypto::PublicKey,
        proof: &[u8],
        moniker: &str,
        commission: CommissionBps,
        min_self_bond: u128,
        self_bond: u128,
    ) -> Message {
        wrap(Sum::StakingCreateValidator(
            fructus_proto::staking::v1::MsgCreateValidator {
                consensus_pubkey: consensus_key.to_bytes().into(),
                consensus_key_proof: proof.to_vec().into(),
                moniker: moniker.to_owned(),
                commission_rate_bps: commission.rate,
                commission_max_rate_bps: commission.max_rate,
                commission_max_change_bps: commission.max_change,
                min_self_bond: min_self_bond.to_string(),
                self_bond: self_bond.to_string(),
            },
        ))
    }

    /// `staking/edit_validator`: a new moniker and/or commission.
    pub fn staking_edit_validator(moniker: Option<&str>, commission_bps: Option<u32>) -> Message {
        wrap(Sum::StakingEditValidator(
            fructus_proto::staking::v1::MsgEditValidator {
                moniker: moniker.unwrap_or_default().to_owned(),
                change_commission: commission_bps.is_some(),
                commission_rate_bps: commission_bps.unwrap_or(0),
            },
        ))
    }

    /// `staking/delegate`.
    pub fn staking_delegate(validator: &Address, amount: u128) -> Message {
        wrap(Sum::StakingDelegate(
            fructus_proto::staking::v1::MsgDelegate {
                validator: addr(validator),
                amount: amount.to_string(),
            },
        ))
    }

    /// `staking/redelegate`.
    pub fn staking_redelegate(src: &Address, dst: &Address, amount: u128) -> Message {
        wrap(Sum::StakingRedelegate(
            fructus_proto::staking::v1::MsgRedelegate {
                src_validator: addr(src),
                dst_validator: addr(dst),
                amount: amount.to_string(),
            },
        ))
    }

    /// `staking/undelegate`.
    pub fn staking_undelegate(validator: &Address, amount: u128) -> Message {
        wrap(Sum::StakingUndelegate(
            fructus_proto::staking::v1::MsgUndelegate {
                validator: addr(validator),
                amount: amount.to_string(),
            },
        ))
    }

    /// `staking/withdraw_rewards`.
    pub fn staking_withdraw_rewards(validator: &Address) -> Message {
        wrap(Sum::StakingWithdrawRewards(
            fructus_proto::staking::v1::MsgWithdrawRewards {
                validator: addr(validator),
            },
        ))
    }

    /// `staking/unjail`.
    pub fn staking_unjail() -> Message {
        wrap(Sum::StakingUnjail(fructus_proto::staking::v1::MsgUnjail {}))
    }

    /// `amm/create_pool` (`fee_bps` 0 = the chain's default fee).
    pub fn amm_create_pool(amount_a: &Coin, amount_b: &Coin, fee_bps: u32) -> Message {
        wrap(Sum::AmmCreatePool(fructus_proto::amm::v1::MsgCreatePool {
            amount_a: Some(amount_a.to_proto()),
            amount_b: Some(amount_b.to_proto()),
            fee_bps,
        }))
    }

    /// `amm/add_liquidity` (`min_lp` 0 = no minimum).
    pub fn amm_add_liquidity(pool_id: u64, max_a: &Coin, max_b: &Coin, min_lp: u128) -> Message {
        wrap(Sum::AmmAddLiquidity(
            fructus_proto::amm::v1::MsgAddLiquidity {
                pool_id,
                max_a: Some(max_a.to_proto()),
                max_b: Some(max_b.to_proto()),
                min_lp: if min_lp == 0 {
                    String::new()
                } else {
                    min_lp.to_string()
                },
            },
        ))
    }

    /// `amm/remove_liquidity` (`lp` in denom `lp/<pool_id>`).
    pub fn amm_remove_liquidity(pool_id: u64, lp: &Coin, min_out: &[Coin]) -> Message {
        wrap(Sum::AmmRemoveLiquidity(
            fructus_proto::amm::v1::MsgRemoveLiquidity {
                pool_id,
                lp: Some(lp.to_proto()),
                min_out: min_out.iter().map(Coin::to_proto).collect(),
            },
        ))
    }

    /// `amm/swap_exact_in` (`deadline_ms` 0 = none).
    pub fn amm_swap_exact_in(
        amount_in: &Coin,
        route: &[u64],
        min_out: &Coin,
        deadline_ms: u64,
    ) -> Message {
        wrap(Sum::AmmSwapExactIn(
            fructus_proto::amm::v1::MsgSwapExactIn {
                amount_in: Some(amount_in.to_proto()),
                route: route.to_vec(),
                min_out: Some(min_out.to_proto()),
                deadline_ms,
            },
        ))
    }

    /// `amm/swap_exact_out` (`deadline_ms` 0 = none).
    pub fn amm_swap_exact_out(
        amount_out: &Coin,
        route: &[u64],
        max_in: &Coin,
        deadline_ms: u64,
    ) -> Message {
        wrap(Sum::AmmSwapExactOut(
            fructus_proto::amm::v1::MsgSwapExactOut {
                amount_out: Some(amount_out.to_proto()),
                route: route.to_vec(),
                max_in: Some(max_in.to_proto()),
                deadline_ms,
            },
        ))
    }

    /// `certificate/accredit_issuer` (signed by a regulator).
    pub fn cert_accredit_issuer(issuer: &Address, name: &str) -> Message {
        wrap(Sum::CertAccreditIssuer(
            fructus_proto::certificate::v1::MsgAccreditIssuer {
                issuer: addr(issuer),
                name: name.to_owned(),
            },
        ))
    }

    /// `certificate/revoke_issuer` (signed by a regulator).
    pub fn cert_revoke_issuer(issuer: &Address, reason: &str) -> Message {
        wrap(Sum::CertRevokeIssuer(
            fructus_proto::certificate::v1::MsgRevokeIssuer {
                issuer: addr(issuer),
                reason: reason.to_owned(),
            },
        ))
    }

    /// `certificate/create_class` (`kind`: the proto enum value, 1 = REC,
    /// 2 = carbon removal, 3 = carbon avoidance).
    pub fn cert_create_class(
        kind: i32,
        name: &str,
        methodology_id: &str,
        kyc_only: bool,
    ) -> Message {
        wrap(Sum::CertCreateClass(
            fructus_proto::certificate::v1::MsgCreateClass {
                kind,
                name: name.to_owned(),
                methodology_id: methodology_id.to_owned(),
                kyc_only,
            },
        ))
    }

    /// `certificate/issue_batch` (an empty `recipient` = the issuer).
    pub fn cert_issue_batch(batch: fructus_proto::certificate::v1::MsgIssueBatch) -> Message {
        wrap(Sum::CertIssueBatch(batch))
    }

    /// `certificate/retire`.
    pub fn cert_retire(
        batch_id: u64,
        amount: u64,
        beneficiary: &str,
        reason: &str,
        jurisdiction: &str,
    ) -> Message {
        wrap(Sum::CertRetire(fructus_proto::certificate::v1::MsgRetire {
            batch_id,
            amount,
            beneficiary: beneficiary.to_owned(),
            reason: reason.to_owned(),
            jurisdiction: jurisdiction.to_owned(),
        }))
    }

    /// `certificate/cancel` (by the batch's issuer).
    pub fn cert_cancel(batch_id: u64, amount: u64, reason: &str) -> Message {
        wrap(Sum::CertCancel(fructus_proto::certificate::v1::MsgCancel {
            batch_id,
            amount,
            reason: reason.to_owned(),
        }))
    }

    /// `certificate/grant_auto_issuance`.
    pub fn cert_grant_auto_issuance(
        asset_id: u64,
        batch_id: u64,
        max_per_period: u64,
        period_ms: u64,
    ) -> Message {
        wrap(Sum::CertGrantAutoIssuance(
            fructus_proto::certificate::v1::MsgGrantAutoIssuance {
                asset_id,
                batch_id,
                max_per_period,
                period_ms,
            },
        ))
    }

    /// `certificate/bridge_in` (`batch.mint_now` must equal its quantity).
    pub fn cert_bridge_in(
        batch: fructus_proto::certificate::v1::MsgIssueBatch,
        source_registry: &str,
        source_tx_id: &str,
    ) -> Message {
        wrap(Sum::CertBridgeIn(
            fructus_proto::certificate::v1::MsgBridgeIn {
                batch: Some(batch),
                source_registry: source_registry.to_owned(),
                source_tx_id: source_tx_id.to_owned(),
            },
        ))
    }

    /// `certificate/revoke_auto_issuance`.
    pub fn cert_revoke_auto_issuance(asset_id: u64) -> Message {
        wrap(Sum::CertRevokeAutoIssuance(
            fructus_proto::certificate::v1::MsgRevokeAutoIssuance { asset_id },
        ))
    }

    /// `compute/register_provider`: `green_energy_asset` 0 and an empty
    /// `green_certificate_batch` declare no green link; `maintainer` is
    /// paid `maintainer_bps` of every payout.
    #[allow(clippy::too_many_arguments)]
    pub fn compute_register_provider(
        asset_id: u64,
        gpu_model: &str,
        gpus: u32,
        green_energy_asset: u64,
        green_certificate_batch: &str,
        bond: u128,
        maintainer: Option<&Address>,
        maintainer_bps: u32,
    ) -> Message {
        wrap(Sum::ComputeRegisterProvider(
            fructus_proto::compute::v1::MsgRegisterProvider {
                asset_id,
                gpu_model: gpu_model.into(),
                gpus,
                green_energy_asset,
                green_certificate_batch: green_certificate_batch.into(),
                bond: Some(Coin::new(Denom::native(), bond).to_proto()),
                maintainer: maintainer.map(addr).unwrap_or_default(),
                maintainer_bps,
            },
        ))
    }

    /// `compute/heartbeat`, signed by the asset's device key.
    pub fn compute_heartbeat(
        asset_id: u64,
        sequence: u64,
        time_ms: u64,
        gpus_online: u32,
    ) -> Message {
        wrap(Sum::ComputeHeartbeat(
            fructus_proto::compute::v1::MsgHeartbeat {
                asset_id,
                sequence,
                time_ms,
                gpus_online,
            },
        ))
    }

    /// `compute/mint_capacity`: `hours` tokens `gpuh/<asset_id>/<window>`.
    pub fn compute_mint_capacity(asset_id: u64, window: u64, hours: u64) -> Message {
        wrap(Sum::ComputeMintCapacity(
            fructus_proto::compute::v1::MsgMintCapacity {
                asset_id,
                window,
                hours,
            },
        ))
    }

    /// `compute/burn_expired`.
    pub fn compute_burn_expired(amount: &Coin) -> Message {
        wrap(Sum::ComputeBurnExpired(
            fructus_proto::compute::v1::MsgBurnExpired {
                amount: Some(amount.to_proto()),
            },
        ))
    }

    /// `compute/post_order` (`verifier` for the verifier and
    /// challenge-window modes).
    #[allow(clippy::too_many_arguments)]
    pub fn compute_post_order(
        spec_hash: [u8; 32],
        gpu_model: &str,
        hours: u64,
        max_price_per_hour: &Coin,
        deadline_ms: u64,
        mode: fructus_proto::compute::v1::VerificationMode,
        verifier: Option<&Address>,
        escrow: &Coin,
        green: bool,
    ) -> Message {
        wrap(Sum::ComputePostOrder(
            fructus_proto::compute::v1::MsgPostOrder {
                spec_hash: spec_hash.to_vec().into(),
                gpu_model: gpu_model.into(),
                hours,
                max_price_per_hour: Some(max_price_per_hour.to_proto()),
                deadline_ms,
                mode: mode as i32,
                verifier: verifier.map(addr).unwrap_or_default(),
                escrow: Some(escrow.to_proto()),
                green,
            },
        ))
    }

    /// `compute/accept_order`.
    pub fn compute_accept_order(
        order_id: u64,
        asset_id: u64,
        window: u64,
        price_per_hour: u128,
    ) -> Message {
        wrap(Sum::ComputeAcceptOrder(
            fructus_proto::compute::v1::MsgAcceptOrder {
                order_id,
                asset_id,
                window,
                price_per_hour: price_per_hour.to_string(),
            },
        ))
    }

    /// `compute/submit_result`.
    pub fn compute_submit_result(order_id: u64, result_hash: [u8; 32]) -> Message {
        wrap(Sum::ComputeSubmitResult(
            fructus_proto::compute::v1::MsgSubmitResult {
                order_id,
                result_hash: result_hash.to_vec().into(),
            },
        ))
    }

    /// `compute/confirm_order`.
    pub fn compute_confirm_order(order_id: u64) -> Message {
        wrap(Sum::ComputeConfirmOrder(
            fructus_proto::compute::v1::MsgConfirmOrder { order_id },
        ))
    }

    /// `compute/attest`.
    pub fn compute_attest(order_id: u64, result_hash: [u8; 32], approve: bool) -> Message {
        wrap(Sum::ComputeAttest(fructus_proto::compute::v1::MsgAttest {
            order_id,
            result_hash: result_hash.to_vec().into(),
            approve,
        }))
    }

    /// `compute/challenge`.
    pub fn compute_challenge(order_id: u64) -> Message {
        wrap(Sum::ComputeChallenge(
            fructus_proto::compute::v1::MsgChallenge { order_id },
        ))
    }

    /// `compute/top_up_order`.
    pub fn compute_top_up_order(order_id: u64, amount: &Coin) -> Message {
        wrap(Sum::ComputeTopUpOrder(
            fructus_proto::compute::v1::MsgTopUpOrder {
                order_id,
                amount: Some(amount.to_proto()),
            },
        ))
    }

    /// `compute/cancel_order`.
    pub fn compute_cancel_order(order_id: u64) -> Message {
        wrap(Sum::ComputeCancelOrder(
            fructus_proto::compute::v1::MsgCancelOrder { order_id },
        ))
    }

    /// `compute/redeem_capacity`.
    #[allow(clippy::too_many_arguments)]
    pub fn compute_redeem_capacity(
        asset_id: u64,
        window: u64,
        hours: u64,
        spec_hash: [u8; 32],
        mode: fructus_proto::compute::v1::VerificationMode,
        verifier: Option<&Address>,
        deadline_ms: u64,
    ) -> Message {
        wrap(Sum::ComputeRedeemCapacity(
            fructus_proto::compute::v1::MsgRedeemCapacity {
                asset_id,
                window,
                hours,
                spec_hash: spec_hash.to_vec().into(),
                mode: mode as i32,
                verifier: verifier.map(addr).unwrap_or_default(),
                deadline_ms,
            },
        ))
    }

    /// `compute/add_bond` (ufrx).
    pub fn compute_add_bond(asset_id: u64, amount: u128) -> Message {
        wrap(Sum::ComputeAddBond(
            fructus_proto::compute::v1::MsgAddBond {
                asset_id,
                amount: Some(Coin::new(Denom::native(), amount).to_proto()),
            },
        ))
    }

    /// `oracle/accredit_feeder` (a regulator; effective after the feeder
    /// delay).
    pub fn oracle_accredit_feeder(feeder: &Address) -> Message {
        wrap(Sum::OracleAccreditFeeder(
            fructus_proto::oracle::v1::MsgAccreditFeeder {
                feeder: addr(feeder),
            },
        ))
    }

    /// `oracle/revoke_feeder` (a regulator; effective after the feeder
    /// delay).
    pub fn oracle_revoke_feeder(feeder: &Address, reason: &str) -> Message {
        wrap(Sum::OracleRevokeFeeder(
            fructus_proto::oracle::v1::MsgRevokeFeeder {
                feeder: addr(feeder),
                reason: reason.to_owned(),
            },
        ))
    }

    /// `oracle/submit_price`: one base unit of `base` is worth
    /// `price / 10^18` base units of `quote`.
    pub fn oracle_submit_price(base: &Denom, quote: &Denom, price: u128) -> Message {
        wrap(Sum::OracleSubmitPrice(
            fructus_proto::oracle::v1::MsgSubmitPrice {
                base: base.to_string(),
                quote: quote.to_string(),
                price: price.to_string(),
            },
        ))
    }

    /// `credit/accredit_agency` (a regulator).
    pub fn credit_accredit_agency(agency: &Address) -> Message {
        wrap(Sum::CreditAccreditAgency(
            fructus_proto::credit::v1::MsgAccreditAgency {
                agency: addr(agency),
            },
        ))
    }

    /// `credit/revoke_agency` (a regulator).
    pub fn credit_revoke_agency(agency: &Address) -> Message {
        wrap(Sum::CreditRevokeAgency(
            fructus_proto::credit::v1::MsgRevokeAgency {
                agency: addr(agency),
            },
        ))
    }

    /// `credit/rate`: `grade` 1 (AAA) … 8 (C); `report` a record of kind
    /// `credit_report` about the enterprise, sealed with
    /// `fructus_identity::records::seal`.
    pub fn credit_rate(
        enterprise: &Address,
        grade: u32,
        expiry_ms: u64,
        report: fructus_proto::identity::v1::MsgStoreRecord,
    ) -> Message {
        wrap(Sum::CreditRate(fructus_proto::credit::v1::MsgRate {
            enterprise: addr(enterprise),
            grade,
            expiry_ms,
            report: Some(report),
        }))
    }

    /// `credit/revoke_rating` (the agency that gave it, or a regulator).
    pub fn credit_revoke_rating(enterprise: &Address) -> Message {
        wrap(Sum::CreditRevokeRating(
            fructus_proto::credit::v1::MsgRevokeRating {
                enterprise: addr(enterprise),
            },
        ))
    }

    /// `credit/open_vault`.
    pub fn credit_open_vault(collateral_denom: &Denom) -> Message {
        wrap(Sum::CreditOpenVault(
            fructus_proto::credit::v1::MsgOpenVault {
                collateral_denom: collateral_denom.to_string(),
            },
        ))
    }

    /// `credit/deposit`.
    pub fn credit_deposit(vault_id: u64, amount: &Coin) -> Message {
        wrap(Sum::CreditDeposit(fructus_proto::credit::v1::MsgDeposit {
            vault_id,
            amount: Some(amount.to_proto()),
        }))
    }

    /// `credit/withdraw`.
    pub fn credit_withdraw(vault_id: u64, amount: &Coin) -> Message {
        wrap(Sum::CreditWithdraw(
            fructus_proto::credit::v1::MsgWithdraw {
                vault_id,
                amount: Some(amount.to_proto()),
            },
        ))
    }

    /// `credit/mint` (credit denom base units).
    pub fn credit_mint(vault_id: u64, amount: u128) -> Message {
        wrap(Sum::CreditMint(fructus_proto::credit::v1::MsgMint {
            vault_id,
            amount: amount.to_string(),
        }))
    }

    /// `credit/repay` (at most the debt is taken).
    pub fn credit_repay(vault_id: u64, amount: u128) -> Message {
        wrap(Sum::CreditRepay(fructus_proto::credit::v1::MsgRepay {
            vault_id,
            amount: amount.to_string(),
        }))
    }

    /// `credit/liquidate`.
    pub fn credit_liquidate(vault_id: u64) -> Message {
        wrap(Sum::CreditLiquidate(
            fructus_proto::credit::v1::MsgLiquidate { vault_id },
        ))
    }

    /// `credit/bid`: up to `max_collateral` at a price of at most
    /// `max_price` (×10^18).
    pub fn credit_bid(vault_id: u64, max_collateral: u128, max_price: u128) -> Message {
        wrap(Sum::CreditBid(fructus_proto::credit::v1::MsgBid {
            vault_id,
            max_collateral: max_collateral.to_string(),
            max_price: max_price.to_string(),
        }))
    }

    /// `credit/claim_income`.
    pub fn credit_claim_income(vault_id: u64) -> Message {
        wrap(Sum::CreditClaimIncome(
            fructus_proto::credit::v1::MsgClaimIncome { vault_id },
        ))
    }

    /// `credit/cover_bad_debt`.
    pub fn credit_cover_bad_debt(amount: u128) -> Message {
        wrap(Sum::CreditCoverBadDebt(
            fructus_proto::credit::v1::MsgCoverBadDebt {
                amount: amount.to_string(),
            },
        ))
    }

    /// `governance/submit_proposal` (`initial_deposit` in ufrx; `content`
    /// built with `fructus_governance::Content`).
    pub fn gov_submit_proposal(
        title: &str,
        description: &str,
        content: &fructus_governance::Content,
        initial_deposit: &Coin,
        expedited: bool,
    ) -> Message {
        wrap(Sum::GovSubmitProposal(
            fructus_proto::governance::v1::MsgSubmitProposal {
                title: title.to_owned(),
                description: description.to_owned(),
                initial_deposit: Some(initial_deposit.to_proto()),
                expedited,
                content: Some(fructus_governance::msg::content_to_proto(content)),
            },
        ))
    }

    /// `governance/deposit` (ufrx).
    pub fn gov_deposit(proposal_id: u64, amount: &Coin) -> Message {
        wrap(Sum::GovDeposit(fructus_proto::governance::v1::MsgDeposit {
            proposal_id,
            amount: Some(amount.to_proto()),
        }))
    }

    /// `governance/vote`.
    pub fn gov_vote(proposal_id: u64, option: fructus_governance::VoteOption) -> Message {
        wrap(Sum::GovVote(fructus_proto::governance::v1::MsgVote {
            proposal_id,
            option: option.to_wire(),
        }))
    }

    /// `lending/supply`: deposit into `amount`'s pool for `lend/<denom>`.
    pub fn lend_supply(amount: &Coin) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendSupply(l::MsgSupply {
            amount: Some(amount.to_proto()),
        }))
    }

    /// `lending/redeem`: burn `tokens` of `lend/<denom>` for their value.
    pub fn lend_redeem(denom: &Denom, tokens: u128) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendRedeem(l::MsgRedeem {
            denom: denom.to_string(),
            tokens: tokens.to_string(),
        }))
    }

    /// `lending/pledge`.
    pub fn lend_pledge(amount: &Coin) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendPledge(l::MsgPledge {
            amount: Some(amount.to_proto()),
        }))
    }

    /// `lending/unpledge`.
    pub fn lend_unpledge(amount: &Coin) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendUnpledge(l::MsgUnpledge {
            amount: Some(amount.to_proto()),
        }))
    }

    /// `lending/borrow`.
    pub fn lend_borrow(amount: &Coin) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendBorrow(l::MsgBorrow {
            amount: Some(amount.to_proto()),
        }))
    }

    /// `lending/repay` (at most the debt is taken).
    pub fn lend_repay(amount: &Coin) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendRepay(l::MsgRepay {
            amount: Some(amount.to_proto()),
        }))
    }

    /// `lending/liquidate`: repay up to `repay` of `borrower`'s debt and
    /// seize its `collateral`.
    pub fn lend_liquidate(borrower: &Address, repay: &Coin, collateral: &Denom) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendLiquidate(l::MsgLiquidate {
            borrower: borrower.as_bytes().to_vec().into(),
            repay: Some(repay.to_proto()),
            collateral_denom: collateral.to_string(),
        }))
    }

    /// `lending/sweep_reserves`.
    pub fn lend_sweep_reserves(denom: &Denom) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendSweepReserves(l::MsgSweepReserves {
            denom: denom.to_string(),
        }))
    }

    /// `lending/offer_nft_loan`.
    pub fn lend_offer_nft_loan(
        asset_id: u64,
        amount: &Coin,
        rate_bps: u32,
        term_ms: u64,
    ) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendOfferNftLoan(l::MsgOfferNftLoan {
            asset_id,
            amount: Some(amount.to_proto()),
            rate_bps,
            term_ms,
        }))
    }

    /// `lending/cancel_nft_offer`.
    pub fn lend_cancel_nft_offer(loan_id: u64) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendCancelNftOffer(l::MsgCancelNftOffer { loan_id }))
    }

    /// `lending/accept_nft_loan`.
    pub fn lend_accept_nft_loan(loan_id: u64) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendAcceptNftLoan(l::MsgAcceptNftLoan { loan_id }))
    }

    /// `lending/repay_nft_loan`.
    pub fn lend_repay_nft_loan(loan_id: u64) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendRepayNftLoan(l::MsgRepayNftLoan { loan_id }))
    }

    /// `lending/claim_nft`.
    pub fn lend_claim_nft(loan_id: u64) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendClaimNft(l::MsgClaimNft { loan_id }))
    }

    /// `lending/claim_nft_loan_income`.
    pub fn lend_claim_nft_loan_income(loan_id: u64) -> Message {
        use fructus_proto::lending::v1 as l;
        wrap(Sum::LendClaimNftLoanIncome(l::MsgClaimNftLoanIncome {
            loan_id,
        }))
    }
}
