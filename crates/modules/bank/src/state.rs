//! The only way anything reads or writes bank state.

use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, Coin, Denom};

use fructus_income::{IncomeError, IncomeStateWriteExt};

use crate::{BankError, state_key};

/// A registered denom.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct DenomMetadata {
    /// The denom.
    pub denom: Denom,
    /// The only account allowed to mint and burn it; `None` for the native
    /// token and for denoms only a module creates.
    pub issuer: Option<Address>,
    /// Display symbol (`USDC`).
    pub symbol: String,
    /// Display decimals.
    pub decimals: u8,
    /// Holders must be KYC'd (enforced by the identity module).
    pub kyc_only: bool,
}

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
    /// holds less.
    fn transfer(&mut self, from: &Address, to: &Address, coin: &Coin) -> Result<(), BankError> {
        if from == to || coin.amount.is_zero() {
            // Still refuse what the sender does not have.
            let have = self.balance(from, &coin.denom)?;
            return require(from, coin, have).map(|_| ());
        }
        let have = self.balance(from, &coin.denom)?;
        let left = require(from, coin, have)?;
        let to_have = self.balance(to, &coin.denom)?;
        let to_new = to_have
            .checked_add(coin.amount)
            .map_err(|source| overflow(&coin.denom, source))?;
        self.write_balance(from, &coin.denom, left)?;
        self.write_balance(to, &coin.denom, to_new)
    }

    /// Creates `coin` in `to`'s balance and raises the supply. Callers check
    /// who may mint (the issuer, or a module for its own denoms).
    fn mint(&mut self, to: &Address, coin: &Coin) -> Result<(), BankError> {
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

/// Income settlement failures surface as bank errors (storage failures stay
/// internal).
fn income_error(e: IncomeError) -> BankError {
    match e {
        IncomeError::Storage(e) => BankError::Storage(e),
        other => BankError::InvalidField {
            field: "income",
            reason: other.to_string(),
        },
    }
}
