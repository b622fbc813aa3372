//! The only way anything reads or writes lending state, and the checks
//! every borrow, unpledge and liquidation share
//! ([`LendingStateReadExt::checked_price`], [`LendingStateReadExt::health`]).

use fructus_bank::BankStateReadExt;
use fructus_component::ParamsRead;
use fructus_oracle::{OracleStateReadExt, PRICE_SCALE, PriceGuard};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockHeight, BlockTime, Denom};

use crate::{
    Borrow, LendingError, LendingParams, Market, NftLoan,
    math::{self, Curve},
    params::MAX_MARKETS,
    state_key,
};

/// An account's standing: debt value and borrow limit, in quote units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Health {
    /// Σ debt × price, each rounded up.
    pub borrowed: u128,
    /// Σ pledge × price × collateral factor, each rounded down.
    pub limit: u128,
}

impl Health {
    /// True when the debt value is within the limit (liquidation is then
    /// refused).
    pub fn is_healthy(&self) -> bool {
        self.borrowed <= self.limit
    }
}

/// A change an operation would make, applied when computing the health it
/// would leave.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// Nothing (the account as it is).
    None,
    /// `amount` more debt in `denom`.
    Borrow(&'a Denom, u128),
    /// `amount` less pledged of `denom`.
    Unpledge(&'a Denom, u128),
}

/// A market's curve and reserve factor; a delisted market stops accruing.
fn curve_of(params: &LendingParams, denom: &Denom) -> (Curve, u32) {
    params.market(denom).map_or(
        (
            Curve {
                base_bps: 0,
                slope1_bps: 0,
                kink_bps: 1,
                slope2_bps: 0,
            },
            0,
        ),
        |m| (m.curve(), m.reserve_factor_bps),
    )
}

/// Lending reads, available on any state.
pub trait LendingStateReadExt: StateRead {
    /// The parameters (defaults until genesis writes them).
    fn lending_params(&self) -> Result<LendingParams, LendingError> {
        self.params::<LendingParams>()
    }

    /// The quote denom, fixed at genesis.
    fn lending_quote(&self) -> Result<Denom, LendingError> {
        self.get(&state_key::quote())?
            .ok_or_else(|| LendingError::Corrupt {
                reason: "the quote denom is not stored (genesis did not run)".into(),
            })
    }

    /// The stored market of `denom` (as of its last accrual).
    fn stored_market(&self, denom: &Denom) -> Result<Option<Market>, LendingError> {
        Ok(self.get(&state_key::market(denom))?)
    }

    /// The market of `denom` with interest accrued to `now` (a new, empty
    /// market if none is stored).
    fn market_at(
        &self,
        params: &LendingParams,
        denom: &Denom,
        now: BlockTime,
    ) -> Result<Market, LendingError> {
        let stored = self
            .stored_market(denom)?
            .unwrap_or_else(|| Market::new(now.0));
        let (curve, rf) = curve_of(params, denom);
        Ok(stored.accrued(&curve, rf, now.0))
    }

    /// Denoms with a stored market, in order (at most 64: listed markets
    /// are at most 16, and a delisted market keeps its record).
    fn market_denoms(&self) -> Result<Vec<Denom>, LendingError> {
        let prefix = state_key::all_markets();
        Ok(self
            .prefix::<Market>(&prefix, None, 64)?
            .into_iter()
            .filter_map(|(k, _)| {
                let rest = k.get(prefix.len()..)?;
                std::str::from_utf8(rest).ok()?.parse().ok()
            })
            .collect())
    }

    /// An account's borrow in `denom`.
    fn borrow(&self, account: &Address, denom: &Denom) -> Result<Option<Borrow>, LendingError> {
        Ok(self.get(&state_key::borrow(account, denom))?)
    }

    /// An account's borrows, by denom (one per market it borrowed from:
    /// new borrows need a listed market, at most [`MAX_MARKETS`] at a
    /// time). More than [`MAX_POSITIONS`] (possible only if governance
    /// rotated many markets) is refused rather than partly counted.
    fn borrows_of(&self, account: &Address) -> Result<Vec<(Denom, Borrow)>, LendingError> {
        let prefix = state_key::borrows_of(account);
        named(
            self.prefix::<Borrow>(&prefix, None, MAX_POSITIONS.saturating_add(1))?,
            prefix.len(),
        )
    }

    /// What an account has pledged of `denom`.
    fn pledged(&self, account: &Address, denom: &Denom) -> Result<u128, LendingError> {
        Ok(self.get(&state_key::pledge(account, denom))?.unwrap_or(0))
    }

    /// An account's pledges, by denom (one per collateral it pledged: new
    /// pledges need a listed collateral, at most [`crate::params::MAX_COLLATERALS`] at a
    /// time); more than [`MAX_POSITIONS`] is refused as for borrows.
    fn pledges_of(&self, account: &Address) -> Result<Vec<(Denom, u128)>, LendingError> {
        let prefix = state_key::pledges_of(account);
        named(
            self.prefix::<u128>(&prefix, None, MAX_POSITIONS.saturating_add(1))?,
            prefix.len(),
        )
    }

    /// The price of `denom` in the quote denom (×10^18) at `now`: refused
    /// when stale ([`LendingError::StalePrice`]), while its TWAP covers less
    /// than `min_twap_coverage_bps` of its window
    /// ([`LendingError::ThinTwap`]), or further from its TWAP than
    /// `max_twap_deviation_bps` ([`LendingError::PriceDeviates`]). The
    /// quote denom is worth exactly 1.
    fn checked_price(
        &self,
        params: &LendingParams,
        denom: &Denom,
        now: BlockTime,
    ) -> Result<u128, LendingError> {
        let quote = self.lending_quote()?;
        if *denom == quote {
            return Ok(PRICE_SCALE);
        }
        let guard = PriceGuard {
            min_twap_coverage_bps: params.min_twap_coverage_bps,
            max_twap_deviation_bps: params.max_twap_deviation_bps,
        };
        self.guarded_price(denom, &quote, now, &guard)?
            .map_err(|refusal| LendingError::refused_price(denom, refusal))
    }

    /// The price (×10^18, in the quote denom) of a pledged collateral: the
    /// oracle's ([`Self::checked_price`]), or for a deposit token
    /// `lend/<denom>` of a market its underlying's price × the market's
    /// exchange rate accrued to `now` (rounded down).
    fn collateral_price(
        &self,
        params: &LendingParams,
        denom: &Denom,
        now: BlockTime,
    ) -> Result<u128, LendingError> {
        let underlying = denom
            .as_str()
            .strip_prefix("lend/")
            .and_then(|rest| rest.parse::<Denom>().ok())
            .filter(|u| params.market(u).is_some());
        let Some(underlying) = underlying else {
            return self.checked_price(params, denom, now);
        };
        let price = self.checked_price(params, &underlying, now)?;
        let rate = self.market_at(params, &underlying, now)?.exchange_rate();
        math::mul_div_floor(price, rate, math::WAD).ok_or(LendingError::Overflow {
            what: "deposit token price",
        })
    }

    /// An account's health at `now` after `change`. Reads at most one
    /// record and one price per listed market and collateral.
    fn health(
        &self,
        params: &LendingParams,
        account: &Address,
        now: BlockTime,
        change: Change<'_>,
    ) -> Result<Health, LendingError> {
        let overflow = |what| LendingError::Overflow { what };
        let mut borrows = self.borrows_of(account)?;
        if let Change::Borrow(denom, _) = change
            && !borrows.iter().any(|(d, _)| d == denom)
        {
            borrows.push((
                denom.clone(),
                Borrow {
                    principal: 0,
                    index: math::WAD,
                },
            ));
        }
        let mut borrowed = 0u128;
        for (denom, b) in &borrows {
            let market = self.market_at(params, denom, now)?;
            let mut debt = b.debt(market.index).ok_or(overflow("debt"))?;
            if let Change::Borrow(d, amount) = change
                && d == denom
            {
                debt = debt.checked_add(amount).ok_or(overflow("debt"))?;
            }
            if debt == 0 {
                continue;
            }
            let price = self.checked_price(params, denom, now)?;
            let value = math::value_ceil(debt, price).ok_or(overflow("debt value"))?;
            borrowed = borrowed.checked_add(value).ok_or(overflow("debt value"))?;
        }
        let mut limit = 0u128;
        for (denom, mut amount) in self.pledges_of(account)? {
            if let Change::Unpledge(d, less) = change
                && *d == denom
            {
                amount = amount.saturating_sub(less);
            }
            let factor = params.factor(&denom);
            if amount == 0 || factor == 0 {
                continue;
            }
            let price = self.collateral_price(params, &denom, now)?;
            let value =
                math::value_floor(amount, price, factor).ok_or(overflow("collateral value"))?;
            limit = limit
                .checked_add(value)
                .ok_or(overflow("collateral value"))?;
        }
        Ok(Health { borrowed, limit })
    }

    /// An NFT loan or offer.
    fn nft_loan(&self, id: u64) -> Result<Option<NftLoan>, LendingError> {
        Ok(self.get(&state_key::loan(id))?)
    }

    /// An NFT loan or offer, or [`LendingError::LoanNotFound`].
    fn require_nft_loan(&self, id: u64) -> Result<NftLoan, LendingError> {
        self.nft_loan(id)?
            .ok_or(LendingError::LoanNotFound { loan_id: id })
    }

    /// NFT loans and offers in id order after `start_after`, at most
    /// `limit`.
    fn nft_loans(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<NftLoan>, LendingError> {
        let start = start_after.map(state_key::loan);
        Ok(self
            .prefix::<NftLoan>(&state_key::all_loans(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, l)| l)
            .collect())
    }

    /// Height and time of the last block (for queries), from bank's clock.
    fn lending_clock(&self) -> Result<(BlockHeight, BlockTime), LendingError> {
        Ok(self.block_clock()?)
    }
}

impl<T: StateRead + ?Sized> LendingStateReadExt for T {}

/// Most borrows (and, separately, pledges) one account's health reads.
pub(crate) const MAX_POSITIONS: usize = 4 * MAX_MARKETS;

/// Records under `prefix` with the denom that ends their key; more than
/// [`MAX_POSITIONS`] is refused (a health check must see every position).
fn named<T>(records: Vec<(Vec<u8>, T)>, prefix: usize) -> Result<Vec<(Denom, T)>, LendingError> {
    if records.len() > MAX_POSITIONS {
        return Err(LendingError::Overflow {
            what: "positions of one account (repay or unpledge delisted ones)",
        });
    }
    records
        .into_iter()
        .map(|(k, v)| {
            let denom = k
                .get(prefix..)
                .and_then(|rest| std::str::from_utf8(rest).ok())
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| LendingError::Corrupt {
                    reason: "a position key does not end in a denom".into(),
                })?;
            Ok((denom, v))
        })
        .collect()
}

/// Lending writes.
pub trait LendingStateWriteExt: StateWrite {
    /// Stores a market.
    fn put_market(&mut self, denom: &Denom, market: &Market) -> Result<(), LendingError> {
        Ok(self.put(state_key::market(denom), market)?)
    }

    /// Stores a borrow, or removes it when nothing is owed.
    fn put_borrow(
        &mut self,
        account: &Address,
        denom: &Denom,
        borrow: &Borrow,
    ) -> Result<(), LendingError> {
        let key = state_key::borrow(account, denom);
        if borrow.principal == 0 {
            self.delete(key);
            return Ok(());
        }
        Ok(self.put(key, borrow)?)
    }

    /// Stores a pledge, or removes it when zero.
    fn put_pledge(
        &mut self,
        account: &Address,
        denom: &Denom,
        amount: u128,
    ) -> Result<(), LendingError> {
        let key = state_key::pledge(account, denom);
        if amount == 0 {
            self.delete(key);
            return Ok(());
        }
        Ok(self.put(key, &amount)?)
    }

    /// Stores an NFT loan.
    fn put_nft_loan(&mut self, loan: &NftLoan) -> Result<(), LendingError> {
        Ok(self.put(state_key::loan(loan.id), loan)?)
    }

    /// Removes an NFT loan (repaid, claimed or cancelled).
    fn delete_nft_loan(&mut self, id: u64) {
        self.delete(state_key::loan(id));
    }

    /// Takes the next NFT loan id (from 1).
    fn next_loan_id(&mut self) -> Result<u64, LendingError> {
        let id: u64 = self.get(&state_key::next_loan())?.unwrap_or(1);
        let next = id.checked_add(1).ok_or(LendingError::Overflow {
            what: "NFT loan id",
        })?;
        self.put(state_key::next_loan(), &next)?;
        Ok(id)
    }
}

impl<T: StateWrite + ?Sized> LendingStateWriteExt for T {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_health_check_refuses_positions_it_cannot_all_read() {
        let record = |i: usize| (format!("p/u{i}").into_bytes(), 1u128);
        let fits: Vec<_> = (0..MAX_POSITIONS).map(record).collect();
        assert_eq!(named(fits, 2).unwrap().len(), MAX_POSITIONS);
        let too_many: Vec<_> = (0..=MAX_POSITIONS).map(record).collect();
        assert!(matches!(
            named(too_many, 2),
            Err(LendingError::Overflow { .. })
        ));
    }
}
