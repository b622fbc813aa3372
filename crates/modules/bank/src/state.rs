//! The only way anything reads or writes bank state.

use fructus_identity::IdentityStateReadExt;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockHeight, BlockTime, Coin, Denom};

use fructus_component::ErrorCode;
use fructus_income::{IncomeError, IncomeStateWriteExt};

use crate::{BankError, DenomMetadata, state_key};

/// Bank reads, available on any state.
pub trait BankStateReadExt: StateRead {
    /// Balance of `denom` held by `address` (zero if none).
    fn balance(&self, address: &Address, denom: &Denom) -> Result<Amount, BankError> {
        Ok(self
            .get::<Amount>(&state_key::balance(address, denom))?
            .unwrap_or(Amount::ZERO))
    }

    /// All non-zero balances of `address`, sorted by denom (at most 1,000).
    fn balances(&self, address: &Address) -> Result<Vec<Coin>, BankError> {
        let prefix = state_key::balances_of(address);
        let entries = self.prefix::<Amount>(&prefix, None, 1_000)?;
        Ok(entries
            .into_iter()
            .filter_map(|(key, amount)| {
                state_key::parse_balance(&key).map(|(_, denom)| Coin { denom, amount })
            })
            .collect())
    }

    /// Total supply of `denom`.
    fn supply(&self, denom: &Denom) -> Result<Amount, BankError> {
        Ok(self
            .get::<Amount>(&state_key::supply(denom))?
            .unwrap_or(Amount::ZERO))
    }

    /// The denom's record, if registered.
    fn denom_metadata(&self, denom: &Denom) -> Result<Option<DenomMetadata>, BankError> {
        Ok(self.get(&state_key::denom(denom))?)
    }

    /// Whether `address` is a registered module account.
    fn is_module_account(&self, address: &Address) -> Result<bool, BankError> {
        Ok(self
            .get::<bool>(&state_key::module_account(address))?
            .unwrap_or(false))
    }

    /// Height and time of the block being executed (`(0, 0)` before the
    /// first block: genesis moves no value through the gate).
    fn block_clock(&self) -> Result<(BlockHeight, BlockTime), BankError> {
        Ok(self.get(&state_key::clock())?.unwrap_or_default())
    }

    /// The compliance gate: refuses ([`BankError::RecipientNotAllowed`])
    /// unless `recipient` may receive `denom` now. Only `kyc_only` denoms
    /// are restricted: their recipient must be a registered module account,
    /// or a regulator or KYC'd account that is not frozen, at the current
    /// block. Every transfer and mint runs it, whoever moves the funds.
    /// Storage faults come back internal ([`BankError::Identity`]).
    fn check_can_receive(&self, recipient: &Address, denom: &Denom) -> Result<(), BankError> {
        if denom.is_native() {
            return Ok(());
        }
        let kyc_only = self
            .denom_metadata(denom)?
            .is_some_and(|meta| meta.kyc_only);
        if !kyc_only || self.is_module_account(recipient)? {
            return Ok(());
        }
        let (height, time) = self.block_clock()?;
        self.check_can_hold_kyc_only(recipient, height, time)
            .map_err(|e| {
                if e.is_internal() {
                    BankError::Identity(e)
                } else {
                    BankError::RecipientNotAllowed {
                        address: *recipient,
                        denom: denom.to_string(),
                        reason: e.to_string(),
                    }
                }
            })
    }

    /// When `denom` expires, if it is perishable: from that block time on
    /// no transfer moves it (see [`BankStateWriteExt::set_denom_expiry`]).
    fn denom_expiry(&self, denom: &Denom) -> Result<Option<BlockTime>, BankError> {
        if denom.is_native() {
            return Ok(None);
        }
        Ok(self.get(&state_key::expiry(denom))?)
    }

    /// Refuses ([`BankError::DenomExpired`]) a transfer of an expired
    /// denom at the current block.
    fn check_not_expired(&self, denom: &Denom) -> Result<(), BankError> {
        if let Some(expiry) = self.denom_expiry(denom)? {
            let (_, now) = self.block_clock()?;
            if now.0 >= expiry.0 {
                return Err(BankError::DenomExpired {
                    denom: denom.to_string(),
                    expiry_ms: expiry.0,
                });
            }
        }
        Ok(())
    }

    /// Registered denoms in name order, after `start_after`, at most `limit`.
    fn denoms(
        &self,
        start_after: Option<&Denom>,
        limit: usize,
    ) -> Result<Vec<DenomMetadata>, BankError> {
        let start = start_after.map(state_key::denom);
        Ok(self
            .prefix::<DenomMetadata>(&state_key::all_denoms(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, m)| m)
            .collect())
    }
}

impl<T: StateRead + ?Sized> BankStateReadExt for T {}

/// Bank writes: the only functions that change balances and supply.
pub trait BankStateWriteExt: StateWrite {
    /// Moves `coin` from `from` to `to`; fails without change if `from`
    /// holds less or if the compliance gate
    /// ([`BankStateReadExt::check_can_receive`]) refuses `to`. This is the
    /// one transfer path: a user's send and every module's payout, refund,
    /// reward or escrow deposit go through it.
    fn transfer(&mut self, from: &Address, to: &Address, coin: &Coin) -> Result<(), BankError> {
        if from == to || coin.amount.is_zero() {
            // Still refuse what the sender does not have.
            let have = self.balance(from, &coin.denom)?;
            return require(from, coin, have).map(|_| ());
        }
        self.check_can_receive(to, &coin.denom)?;
        self.check_not_expired(&coin.denom)?;
        if fructus_income::is_income_bearing(&coin.denom) {
            // Shares settle both holders' income with their balances
            // before and after: the sender's first, then the recipient's.
            let have = self.balance(from, &coin.denom)?;
            let left = require(from, coin, have)?;
            let to_new = self
                .balance(to, &coin.denom)?
                .checked_add(coin.amount)
                .map_err(|source| overflow(&coin.denom, source))?;
            self.write_balance(from, &coin.denom, left)?;
            return self.write_balance(to, &coin.denom, to_new);
        }
        self.move_plain(from, to, coin)
    }

    /// Moves `coin` (not an income-bearing share) with
    /// [`StateWrite::sub_u128`] and [`StateWrite::add_u128`], without
    /// reading either balance first, so transactions executed in parallel
    /// that pay the same account (a fee collector, a platform, a
    /// maintainer) or pay from it (a fleet owner paying its devices' fees)
    /// do not conflict. Changes nothing if `from` holds less or `to`'s
    /// balance would overflow. Only [`BankStateWriteExt::transfer`] calls
    /// it, after the gate.
    #[doc(hidden)]
    fn move_plain(&mut self, from: &Address, to: &Address, coin: &Coin) -> Result<(), BankError> {
        let amount = coin.amount.value();
        let from_key = state_key::balance(from, &coin.denom);
        if !self.sub_u128(from_key.clone(), amount)? {
            let have = self.balance(from, &coin.denom)?;
            return Err(BankError::InsufficientFunds {
                address: *from,
                denom: coin.denom.to_string(),
                available: have,
                required: coin.amount,
            });
        }
        if self.add_u128(state_key::balance(to, &coin.denom), amount)? {
            return Ok(());
        }
        // Cannot happen while balances sum to the supply (a u128); undone
        // so that nothing changes even if it did.
        self.add_u128(from_key, amount)?;
        let have = self.balance(to, &coin.denom)?;
        Err(BankError::Overflow {
            denom: coin.denom.to_string(),
            source: fructus_types::TypesError::AmountOverflow {
                op: "+",
                left: have.value(),
                right: coin.amount.value(),
            },
        })
    }

    /// Creates `coin` in `to`'s balance and raises the supply, if the
    /// compliance gate admits `to`. Callers check who may mint (the issuer,
    /// or a module for its own denoms).
    fn mint(&mut self, to: &Address, coin: &Coin) -> Result<(), BankError> {
        self.check_can_receive(to, &coin.denom)?;
        self.mint_ungated(to, coin)
    }

    /// [`mint`](BankStateWriteExt::mint) without the gate: only for genesis
    /// balances, which are loaded before identity state exists.
    #[doc(hidden)]
    fn mint_ungated(&mut self, to: &Address, coin: &Coin) -> Result<(), BankError> {
        let supply = self
            .supply(&coin.denom)?
            .checked_add(coin.amount)
            .map_err(|source| overflow(&coin.denom, source))?;
        let bal = self
            .balance(to, &coin.denom)?
            .checked_add(coin.amount)
            .map_err(|source| overflow(&coin.denom, source))?;
        self.put(state_key::supply(&coin.denom), &supply)?;
        self.write_balance(to, &coin.denom, bal)
    }

    /// Destroys `coin` from `from`'s balance and lowers the supply.
    fn burn(&mut self, from: &Address, coin: &Coin) -> Result<(), BankError> {
        let have = self.balance(from, &coin.denom)?;
        let left = require(from, coin, have)?;
        let supply = self
            .supply(&coin.denom)?
            .checked_sub(coin.amount)
            .map_err(|source| overflow(&coin.denom, source))?;
        self.put(state_key::supply(&coin.denom), &supply)?;
        self.write_balance(from, &coin.denom, left)
    }

    /// Registers `address` as a module account: an address no key controls
    /// (from [`Address::module`]) that holds funds on behalf of others
    /// (escrows, pools, the fee collector). Module accounts may receive
    /// `kyc_only` denoms; the gate applies when the funds leave them for an
    /// account. A module registers each of its accounts before the first
    /// transfer into it. Never register an account a key controls.
    fn register_module_account(&mut self, address: &Address) -> Result<(), BankError> {
        Ok(self.put(state_key::module_account(address), &true)?)
    }

    /// Records the block being executed for the gate's KYC-expiry checks.
    fn set_block_clock(&mut self, height: BlockHeight, time: BlockTime) -> Result<(), BankError> {
        Ok(self.put(state_key::clock(), &(height, time))?)
    }

    /// Marks `denom` perishable: from block time `expiry` on, no transfer
    /// (a user's send, a multi-send or a module's) moves it; it can still
    /// be burned. Only the module that issues the denom sets it, when it
    /// creates the denom.
    fn set_denom_expiry(&mut self, denom: &Denom, expiry: BlockTime) -> Result<(), BankError> {
        Ok(self.put(state_key::expiry(denom), &expiry)?)
    }

    /// Registers or replaces a denom record.
    fn put_denom_metadata(&mut self, meta: &DenomMetadata) -> Result<(), BankError> {
        Ok(self.put(state_key::denom(&meta.denom), meta)?)
    }

    /// Writes a balance; zero balances are deleted, not stored.
    ///
    /// For income-bearing denoms (asset shares) the holder's pending income
    /// is settled first, with its balance before and after the change, so
    /// every transfer, multi-send, mint and burn of shares keeps income
    /// following the shares held at the time it was earned.
    #[doc(hidden)]
    fn write_balance(
        &mut self,
        who: &Address,
        denom: &Denom,
        amount: Amount,
    ) -> Result<(), BankError> {
        if fructus_income::is_income_bearing(denom) {
            let old = self.balance(who, denom)?;
            self.settle_income(denom, who, old, amount)
                .map_err(income_error)?;
        }
        let key = state_key::balance(who, denom);
        if amount.is_zero() {
            self.delete(key);
            Ok(())
        } else {
            Ok(self.put(key, &amount)?)
        }
    }
}

impl<T: StateWrite + ?Sized> BankStateWriteExt for T {}

fn require(who: &Address, coin: &Coin, have: Amount) -> Result<Amount, BankError> {
    have.checked_sub(coin.amount)
        .map_err(|_| BankError::InsufficientFunds {
            address: *who,
            denom: coin.denom.to_string(),
            available: have,
            required: coin.amount,
        })
}

fn overflow(denom: &Denom, source: fructus_types::TypesError) -> BankError {
    BankError::Overflow {
        denom: denom.to_string(),
        source,
    }
}

/// Income settlement failures surface as bank errors; internal ones
/// (storage faults, inconsistent income state) stay internal.
fn income_error(e: IncomeError) -> BankError {
    match e {
        IncomeError::Storage(e) => BankError::Storage(e),
        other if other.is_internal() => BankError::Income(other),
        other => BankError::InvalidField {
            field: "income",
            reason: other.to_string(),
        },
    }
}
