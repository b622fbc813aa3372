//! The only way anything reads or writes asset state, and the module-to-
//! module API ([`AssetStateWriteExt::credit_income`]).

use fructus_bank::{BankStateReadExt, BankStateWriteExt, DenomMetadata};
use fructus_component::{ErrorCode, Event};
use fructus_income::{IncomeStateReadExt, IncomeStateWriteExt, is_income_bearing};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockHeight, Coin, Denom, PublicKey};

use crate::{
    Asset, AssetClass, AssetError, AssetStatus, Document, Fractionalization, IncomeTotal,
    ShareHolder, event, state_key,
};

/// The bank denom of an asset's shares: `share/<asset id>`.
pub fn share_denom(asset_id: u64) -> Denom {
    // `share/` followed by digits always parses (lower-case start, allowed
    // characters, at most 26 characters); the fallback is unreachable.
    format!("{}{asset_id}", fructus_income::SHARE_PREFIX)
        .parse()
        .unwrap_or_else(|_| Denom::native())
}

/// The module account that holds an asset's undistributed income (one per
/// asset, so each asset's escrow balance is exactly its credited minus its
/// claimed income): `Address::module("asset_income/<asset id>")`.
///
/// Other modules paying income transfer the coin here, then call
/// [`AssetStateWriteExt::credit_income`] (or call
/// [`AssetStateWriteExt::pay_income`], which does both).
pub fn income_escrow(asset_id: u64) -> Address {
    Address::module(&format!("asset_income/{asset_id}"))
}

/// Whether `address` may create asset classes.
///
/// Class creation is for KYC'd enterprises (manufacturers) and regulators:
/// the identity module decides the account's tier at this block.
pub fn can_create_class<S: StateRead + ?Sized>(
    state: &S,
    address: &Address,
    height: fructus_types::BlockHeight,
    time: fructus_types::BlockTime,
) -> Result<(), AssetError> {
    use fructus_identity::{IdentityStateReadExt, Tier};
    // A failure to read the tier is a storage fault: it stays internal.
    match state.tier(address, height, time)? {
        Tier::Enterprise | Tier::Regulator => Ok(()),
        other => Err(AssetError::ClassCreationNotPermitted {
            address: *address,
            reason: format!(
                "its tier is {other}; only KYC'd enterprises (an enterprise-level attestation from a regulator or accredited provider) and regulators create asset classes"
            ),
        }),
    }
}

/// Where one income payment went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomeCredited {
    /// The asset.
    pub asset_id: u64,
    /// The payment.
    pub amount: Coin,
    /// Income-per-share increase (scaled by 10^18); 0 when paid to the
    /// owner.
    pub per_share: u128,
    /// `Some(owner)` when the asset was not fractionalized and the owner
    /// was paid directly.
    pub paid_to_owner: Option<Address>,
}

impl IncomeCredited {
    /// The `asset.income_credited` event of this payment.
    pub fn event(&self) -> Event {
        event::income_credited(self)
    }
}

/// What one income claim did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Claim {
    /// Paid to the holder (sorted by denom).
    pub paid: Vec<Coin>,
    /// Left accrued because the compliance gate refuses the holder these
    /// denoms (sorted by denom).
    pub withheld: Vec<Coin>,
    /// The gate's reason, when something was withheld.
    pub reason: Option<String>,
}

/// What a class creation needs besides its id and creator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassSpec {
    /// Display name.
    pub name: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Unit of measure.
    pub unit: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Metadata SHA-256.
    pub metadata_sha256: [u8; 32],
    /// Attestation keys (sorted, unique).
    pub attestation_keys: Vec<PublicKey>,
}

/// Asset reads and queries, available on any state.
pub trait AssetStateReadExt: StateRead {
    /// The class, if it exists.
    fn asset_class(&self, class_id: u64) -> Result<Option<AssetClass>, AssetError> {
        Ok(self.get(&state_key::class(class_id))?)
    }

    /// The class, or `ClassNotFound`.
    fn require_class(&self, class_id: u64) -> Result<AssetClass, AssetError> {
        self.asset_class(class_id)?
            .ok_or(AssetError::ClassNotFound { class_id })
    }

    /// Classes in id order, after `start_after`, at most `limit`.
    fn asset_classes(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AssetClass>, AssetError> {
        let start = start_after.map(state_key::class);
        Ok(self
            .prefix::<AssetClass>(&state_key::all_classes(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// The asset, if it exists.
    fn asset(&self, asset_id: u64) -> Result<Option<Asset>, AssetError> {
        Ok(self.get(&state_key::asset(asset_id))?)
    }

    /// The asset, or `AssetNotFound`.
    fn require_asset(&self, asset_id: u64) -> Result<Asset, AssetError> {
        self.asset(asset_id)?
            .ok_or(AssetError::AssetNotFound { asset_id })
    }

    /// Whether `address` is an authorized manager of the class.
    fn is_asset_manager(&self, class_id: u64, address: &Address) -> Result<bool, AssetError> {
        Ok(self
            .get::<bool>(&state_key::manager(class_id, address))?
            .unwrap_or(false))
    }

    /// Whether `address` may mint assets of `class`: its creator or an
    /// authorized manager.
    fn may_mint(&self, class: &AssetClass, address: &Address) -> Result<bool, AssetError> {
        Ok(class.creator == *address || self.is_asset_manager(class.id, address)?)
    }

    /// The asset with `serial` in the class, if any.
    fn asset_by_serial(&self, class_id: u64, serial: &str) -> Result<Option<u64>, AssetError> {
        Ok(self.get(&state_key::serial(class_id, serial))?)
    }

    /// Assets whose owner of record is `owner`, in id order, after
    /// `start_after`, at most `limit`.
    fn assets_by_owner(
        &self,
        owner: &Address,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Asset>, AssetError> {
        let prefix = state_key::by_owner_prefix(owner);
        let start = start_after.map(|id| state_key::by_owner(owner, id));
        self.assets_from_index(&prefix, start.as_deref(), limit)
    }

    /// Assets of a class, in id order, after `start_after`, at most `limit`.
    fn assets_by_class(
        &self,
        class_id: u64,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Asset>, AssetError> {
        let prefix = state_key::by_class_prefix(class_id);
        let start = start_after.map(|id| state_key::by_class(class_id, id));
        self.assets_from_index(&prefix, start.as_deref(), limit)
    }

    #[doc(hidden)]
    fn assets_from_index(
        &self,
        prefix: &[u8],
        start: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<Asset>, AssetError> {
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw(prefix, start, limit)? {
            if let Some(id) = state_key::parse_trailing_id(prefix, &key) {
                out.push(self.require_asset(id)?);
            }
        }
        Ok(out)
    }

    /// Current shareholders of an asset with their shares, in address
    /// order, after `start_after`, at most `limit`.
    fn share_holders(
        &self,
        asset_id: u64,
        start_after: Option<&Address>,
        limit: usize,
    ) -> Result<Vec<ShareHolder>, AssetError> {
        let denom = share_denom(asset_id);
        self.income_holders(&denom, start_after, limit)?
            .into_iter()
            .map(|address| {
                Ok(ShareHolder {
                    address,
                    shares: self.balance(&address, &denom)?,
                })
            })
            .collect()
    }

    /// Whole units of income `holder` can claim from the asset now, per
    /// denom.
    fn pending_income(&self, asset_id: u64, holder: &Address) -> Result<Vec<Coin>, AssetError> {
        let denom = share_denom(asset_id);
        let balance = self.balance(holder, &denom)?;
        Ok(IncomeStateReadExt::pending_income(
            self, &denom, holder, balance,
        )?)
    }

    /// Lifetime income of the asset per denom, sorted by denom.
    fn income_totals(&self, asset_id: u64) -> Result<Vec<IncomeTotal>, AssetError> {
        let mut out: std::collections::BTreeMap<Denom, IncomeTotal> = Default::default();
        let blank = |denom: &Denom| IncomeTotal {
            denom: denom.clone(),
            credited_to_shares: Amount::ZERO,
            claimed: Amount::ZERO,
            paid_to_owner: Amount::ZERO,
        };
        for pool in self.income_pools(&share_denom(asset_id))? {
            let t = out
                .entry(pool.income_denom.clone())
                .or_insert_with(|| blank(&pool.income_denom));
            t.credited_to_shares = pool.total_credited;
            t.claimed = pool.total_claimed;
        }
        let prefix = state_key::direct_prefix(asset_id);
        for (key, amount) in self.prefix::<Amount>(&prefix, None, 1_000)? {
            if let Some(denom) = state_key::parse_trailing_denom(&prefix, &key) {
                out.entry(denom.clone())
                    .or_insert_with(|| blank(&denom))
                    .paid_to_owner = amount;
            }
        }
        Ok(out.into_values().collect())
    }
}

impl<T: StateRead + ?Sized> AssetStateReadExt for T {}

fn next_id<S: StateWrite + ?Sized>(
    state: &mut S,
    key: Vec<u8>,
    what: &'static str,
) -> Result<u64, AssetError> {
    let id = state.get::<u64>(&key)?.unwrap_or(1);
    let next = id.checked_add(1).ok_or(AssetError::Overflow { what })?;
    state.put(key, &next)?;
    Ok(id)
}

/// Asset writes. Callers check authorization (the handlers do it in
/// `check_stateful`); these keep the indexes and bank in step.
pub trait AssetStateWriteExt: StateWrite {
    /// Stores a new class with the next id and returns it.
    fn create_class(
        &mut self,
        creator: &Address,
        spec: ClassSpec,
        height: BlockHeight,
    ) -> Result<u64, AssetError> {
        let id = next_id(self, state_key::next_class(), "class id")?;
        let class = AssetClass {
            id,
            creator: *creator,
            name: spec.name,
            manufacturer: spec.manufacturer,
            model: spec.model,
            unit: spec.unit,
            metadata_uri: spec.metadata_uri,
            metadata_sha256: spec.metadata_sha256,
            attestation_keys: spec.attestation_keys,
            created_height: height,
        };
        self.put_class(&class)?;
        Ok(id)
    }

    /// Replaces a class record.
    fn put_class(&mut self, class: &AssetClass) -> Result<(), AssetError> {
        Ok(self.put(state_key::class(class.id), class)?)
    }

    /// Authorizes or revokes an asset manager of a class.
    fn set_asset_manager(
        &mut self,
        class_id: u64,
        manager: &Address,
        authorized: bool,
    ) -> Result<(), AssetError> {
        let key = state_key::manager(class_id, manager);
        if authorized {
            self.put(key, &true)?;
        } else {
            self.delete(key);
        }
        Ok(())
    }

    /// Mints an asset with the next id (status `active`) and returns it.
    /// Refuses a serial already used in the class.
    #[allow(clippy::too_many_arguments)]
    fn mint_asset(
        &mut self,
        class_id: u64,
        serial: &str,
        location: Option<String>,
        documents: Vec<Document>,
        owner: &Address,
        height: BlockHeight,
    ) -> Result<u64, AssetError> {
        if let Some(asset_id) = self.asset_by_serial(class_id, serial)? {
            return Err(AssetError::DuplicateSerial {
                class_id,
                serial: serial.to_owned(),
                asset_id,
            });
        }
        let id = next_id(self, state_key::next_asset(), "asset id")?;
        let asset = Asset {
            id,
            class_id,
            serial: serial.to_owned(),
            location,
            documents,
            status: AssetStatus::Active,
            owner: *owner,
            fractionalized: None,
            minted_height: height,
        };
        self.register_module_account(&income_escrow(id))?;
        self.put(state_key::serial(class_id, serial), &id)?;
        self.put(state_key::by_class(class_id, id), &true)?;
        self.put(state_key::by_owner(owner, id), &true)?;
        self.put(state_key::asset(id), &asset)?;
        Ok(id)
    }

    /// Writes an asset, moving its owner index entry if the owner changed.
    fn put_asset(&mut self, asset: &Asset) -> Result<(), AssetError> {
        if let Some(old) = self.asset(asset.id)?
            && old.owner != asset.owner
        {
            self.delete(state_key::by_owner(&old.owner, asset.id));
            self.put(state_key::by_owner(&asset.owner, asset.id), &true)?;
        }
        Ok(self.put(state_key::asset(asset.id), asset)?)
    }

    /// Locks the asset and mints `shares` of `share/<id>` to its owner
    /// (registering the denom with no issuer, so no one can mint more).
    fn fractionalize_asset(
        &mut self,
        asset_id: u64,
        shares: Amount,
        height: BlockHeight,
    ) -> Result<Coin, AssetError> {
        let mut asset = self.require_asset(asset_id)?;
        if let Some(f) = &asset.fractionalized {
            return Err(AssetError::AlreadyFractionalized {
                asset_id,
                shares: f.shares,
            });
        }
        if shares.is_zero() {
            return Err(AssetError::field("shares", "at least 1 share"));
        }
        let denom = share_denom(asset_id);
        self.put_denom_metadata(&DenomMetadata {
            denom: denom.clone(),
            issuer: None,
            symbol: "SHARE".into(),
            decimals: 0,
            kyc_only: false,
        })?;
        let coin = Coin {
            denom,
            amount: shares,
        };
        self.mint(&asset.owner, &coin)?;
        asset.fractionalized = Some(Fractionalization {
            by: asset.owner,
            shares,
            height,
        });
        self.put_asset(&asset)?;
        Ok(coin)
    }

    /// Pays `holder` every whole unit of income pending on the asset from
    /// its escrow, in every denom the compliance gate lets it receive.
    /// Income in a denom the gate refuses (a `kyc_only` denom, and the
    /// holder is not KYC'd or is frozen) is withheld: it stays accrued to
    /// the holder, in the escrow, until a later claim the gate admits.
    fn claim_income(&mut self, asset_id: u64, holder: &Address) -> Result<Claim, AssetError> {
        let denom = share_denom(asset_id);
        let balance = self.balance(holder, &denom)?;
        let mut withheld = Vec::new();
        let mut reason = None;
        for coin in IncomeStateReadExt::pending_income(self, &denom, holder, balance)? {
            match self.check_can_receive(holder, &coin.denom) {
                Ok(()) => {}
                Err(e) if e.is_internal() => return Err(e.into()),
                Err(e) => {
                    reason.get_or_insert_with(|| e.to_string());
                    withheld.push(coin);
                }
            }
        }
        let keep: Vec<Denom> = withheld.iter().map(|c| c.denom.clone()).collect();
        let paid = self.take_claimable(&denom, holder, balance, &keep)?;
        let escrow = income_escrow(asset_id);
        for coin in &paid {
            self.transfer(&escrow, holder, coin)?;
        }
        Ok(Claim {
            paid,
            withheld,
            reason,
        })
    }

    /// `redeemer`, holding every share, claims its pending income, burns the
    /// shares and becomes the owner of the unlocked NFT. Returns the shares
    /// burned and the income paid.
    fn redeem_asset(
        &mut self,
        asset_id: u64,
        redeemer: &Address,
    ) -> Result<(Coin, Vec<Coin>), AssetError> {
        let mut asset = self.require_asset(asset_id)?;
        if asset.fractionalized.is_none() {
            return Err(AssetError::NotFractionalized { asset_id });
        }
        let denom = share_denom(asset_id);
        let total = self.supply(&denom)?;
        let held = self.balance(redeemer, &denom)?;
        if held < total || total.is_zero() {
            return Err(AssetError::NotAllShares {
                asset_id,
                signer: *redeemer,
                held,
                total,
            });
        }
        let paid = self.claim_income(asset_id, redeemer)?.paid;
        let burned = Coin {
            denom,
            amount: total,
        };
        self.burn(redeemer, &burned)?;
        self.close_share_issue(&burned.denom)?;
        asset.fractionalized = None;
        asset.owner = *redeemer;
        self.put_asset(&asset)?;
        Ok((burned, paid))
    }

    /// Module-to-module income: `coin` has **already** been transferred
    /// into [`income_escrow`]`(asset_id)` by the caller. Fractionalized:
    /// recorded in the asset's income-per-share accumulator in O(1)
    /// (holders claim later). Not fractionalized: paid on from the escrow
    /// to the owner at once. The caller emits [`IncomeCredited::event`].
    fn credit_income(&mut self, asset_id: u64, coin: &Coin) -> Result<IncomeCredited, AssetError> {
        let asset = self.require_asset(asset_id)?;
        if coin.amount.is_zero() {
            return Err(AssetError::field("amount", "must be positive"));
        }
        if is_income_bearing(&coin.denom) {
            return Err(AssetError::field(
                "amount",
                format!(
                    "{} bears income itself and cannot be paid as income",
                    coin.denom
                ),
            ));
        }
        match &asset.fractionalized {
            Some(_) => {
                let denom = share_denom(asset_id);
                let total = self.supply(&denom)?;
                let credit = self.add_income(&denom, total, coin)?;
                Ok(IncomeCredited {
                    asset_id,
                    amount: coin.clone(),
                    per_share: credit.per_share,
                    paid_to_owner: None,
                })
            }
            None => {
                self.transfer(&income_escrow(asset_id), &asset.owner, coin)?;
                let key = state_key::direct(asset_id, &coin.denom);
                let total = self
                    .get::<Amount>(&key)?
                    .unwrap_or(Amount::ZERO)
                    .checked_add(coin.amount)
                    .map_err(|_| AssetError::Overflow {
                        what: "lifetime income paid to the owner",
                    })?;
                self.put(key, &total)?;
                Ok(IncomeCredited {
                    asset_id,
                    amount: coin.clone(),
                    per_share: 0,
                    paid_to_owner: Some(asset.owner),
                })
            }
        }
    }

    /// Transfers `coin` from `payer` into the asset's income escrow, then
    /// [`credit_income`](AssetStateWriteExt::credit_income).
    fn pay_income(
        &mut self,
        payer: &Address,
        asset_id: u64,
        coin: &Coin,
    ) -> Result<IncomeCredited, AssetError> {
        self.require_asset(asset_id)?;
        self.transfer(payer, &income_escrow(asset_id), coin)?;
        self.credit_income(asset_id, coin)
    }
}

impl<T: StateWrite + ?Sized> AssetStateWriteExt for T {}
