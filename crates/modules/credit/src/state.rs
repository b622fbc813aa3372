//! The only way anything reads or writes credit state, and the checks
//! every mint, withdrawal and liquidation share ([`CreditStateReadExt::checked_price`],
//! [`CreditStateReadExt::required_ratio`]).

use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::ParamsRead;
use fructus_identity::IdentityStateReadExt;
use fructus_oracle::{OracleStateReadExt, PRICE_SCALE, PriceGuard};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockHeight, BlockTime, Coin, Denom};

use crate::{
    Agency, Books, CollateralTotals, CollateralType, CreditError, CreditParams, Grade, PriceSource,
    Rating, Vault,
    math::{self, RAY},
    state_key, surplus_account,
};

/// A vault's standing at a price.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Standing {
    /// Its debt now (normalized × rate, rounded up).
    #[serde(with = "crate::types::u128_string")]
    #[schema(value_type = String)]
    pub debt: u128,
    /// Its collateral's value after the haircut, in quote units.
    #[serde(with = "crate::types::u128_string")]
    #[schema(value_type = String)]
    pub value: u128,
}

/// Credit reads, available on any state.
pub trait CreditStateReadExt: StateRead {
    /// The parameters (defaults until genesis writes them).
    fn credit_params(&self) -> Result<CreditParams, CreditError> {
        self.params::<CreditParams>()
    }

    /// `(credit denom, quote denom)`, fixed at genesis.
    fn credit_denoms(&self) -> Result<(Denom, Denom), CreditError> {
        self.get(&state_key::denoms())?
            .ok_or_else(|| CreditError::Corrupt {
                reason: "the credit denoms are not stored (genesis did not run)".into(),
            })
    }

    /// The books.
    fn books(&self) -> Result<Books, CreditError> {
        Ok(self.get(&state_key::books())?.unwrap_or_default())
    }

    /// An accredited agency.
    fn agency(&self, agency: &Address) -> Result<Option<Agency>, CreditError> {
        Ok(self.get(&state_key::agency(agency))?)
    }

    /// Accredited agencies, in address order (at most 1000).
    fn agencies(&self) -> Result<Vec<Agency>, CreditError> {
        Ok(self
            .prefix::<Agency>(&state_key::all_agencies(), None, 1_000)?
            .into_iter()
            .map(|(_, a)| a)
            .collect())
    }

    /// The stored rating of `enterprise`, whatever its status.
    fn rating(&self, enterprise: &Address) -> Result<Option<Rating>, CreditError> {
        Ok(self.get(&state_key::rating(enterprise))?)
    }

    /// The grade that counts for `enterprise` at `now`: `None` (unrated)
    /// when it has no rating, or it expired, was revoked, or its agency
    /// lost its accreditation.
    fn effective_grade(
        &self,
        enterprise: &Address,
        now: BlockTime,
    ) -> Result<Option<Grade>, CreditError> {
        let Some(r) = self.rating(enterprise)? else {
            return Ok(None);
        };
        if r.revoked || now.0 >= r.expiry_ms || self.agency(&r.agency)?.is_none() {
            return Ok(None);
        }
        Ok(Some(r.grade))
    }

    /// The ratio `owner` must keep to mint and withdraw, and its grade as
    /// text.
    fn required_ratio(
        &self,
        params: &CreditParams,
        owner: &Address,
        now: BlockTime,
    ) -> Result<(u32, String), CreditError> {
        let grade = self.effective_grade(owner, now)?;
        let name = grade
            .as_ref()
            .map_or_else(|| "unrated".to_owned(), ToString::to_string);
        Ok((params.required_ratio_bps.of(grade.as_ref()), name))
    }

    /// A collateral's totals.
    fn totals(&self, denom: &Denom) -> Result<CollateralTotals, CreditError> {
        Ok(self
            .get(&state_key::totals(denom))?
            .unwrap_or(CollateralTotals {
                denom: denom.clone(),
                normalized_debt: 0,
            }))
    }

    /// A vault.
    fn vault(&self, id: u64) -> Result<Option<Vault>, CreditError> {
        Ok(self.get(&state_key::vault(id))?)
    }

    /// A vault, or [`CreditError::VaultNotFound`].
    fn require_vault(&self, id: u64) -> Result<Vault, CreditError> {
        self.vault(id)?
            .ok_or(CreditError::VaultNotFound { vault_id: id })
    }

    /// Vaults in id order after `start_after`, at most `limit`.
    fn vaults(&self, start_after: Option<u64>, limit: usize) -> Result<Vec<Vault>, CreditError> {
        let start = start_after.map(state_key::vault);
        Ok(self
            .prefix::<Vault>(&state_key::all_vaults(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, v)| v)
            .collect())
    }

    /// The price of `ctype` in the quote denom for a mint, withdrawal or
    /// liquidation at `now`: refused when stale
    /// ([`CreditError::StalePrice`]), while its TWAP covers less than
    /// `min_twap_coverage_bps` of its window ([`CreditError::ThinTwap`]),
    /// or further from its TWAP than `max_twap_deviation_bps`
    /// ([`CreditError::PriceDeviates`]). A pegged
    /// collateral is worth exactly one quote unit.
    fn checked_price(
        &self,
        params: &CreditParams,
        ctype: &CollateralType,
        now: BlockTime,
    ) -> Result<u128, CreditError> {
        if ctype.source == PriceSource::Peg {
            return Ok(PRICE_SCALE);
        }
        let (_, quote) = self.credit_denoms()?;
        let guard = PriceGuard {
            min_twap_coverage_bps: params.min_twap_coverage_bps,
            max_twap_deviation_bps: params.max_twap_deviation_bps,
        };
        self.guarded_price(&ctype.denom, &quote, now, &guard)?
            .map_err(|refusal| CreditError::refused_price(&ctype.denom, refusal))
    }

    /// A vault's debt and collateral value at `price` and `rate`.
    fn standing(
        &self,
        vault: &Vault,
        ctype: &CollateralType,
        price: u128,
        rate: u128,
    ) -> Result<Standing, CreditError> {
        let debt = math::debt(vault.normalized_debt, rate)
            .ok_or(CreditError::Overflow { what: "debt" })?;
        let value = math::collateral_value(vault.collateral, price, ctype.haircut_bps).ok_or(
            CreditError::Overflow {
                what: "collateral value",
            },
        )?;
        Ok(Standing { debt, value })
    }

    /// The collateral type of a vault's denom (a denom governance removed
    /// from the list keeps its vaults: they can repay and be liquidated but
    /// not mint; it is then valued as the oracle prices it, no haircut).
    fn collateral_type(
        &self,
        params: &CreditParams,
        denom: &Denom,
    ) -> Result<CollateralType, CreditError> {
        Ok(params.collateral(denom).cloned().unwrap_or(CollateralType {
            denom: denom.clone(),
            source: PriceSource::Oracle,
            haircut_bps: 0,
            debt_ceiling: 0,
        }))
    }

    /// Height and time of the last block (for queries), from bank's clock.
    fn credit_clock(&self) -> Result<(BlockHeight, BlockTime), CreditError> {
        Ok(self.block_clock()?)
    }

    /// True if `who` is a regulator.
    fn credit_is_regulator(&self, who: &Address) -> Result<bool, CreditError> {
        Ok(self.is_regulator(who)?)
    }
}

impl<T: StateRead + ?Sized> CreditStateReadExt for T {}

/// Credit writes.
pub trait CreditStateWriteExt: StateWrite {
    /// Stores the books.
    fn put_books(&mut self, books: &Books) -> Result<(), CreditError> {
        Ok(self.put(state_key::books(), books)?)
    }

    /// Stores a vault.
    fn put_vault(&mut self, vault: &Vault) -> Result<(), CreditError> {
        Ok(self.put(state_key::vault(vault.id), vault)?)
    }

    /// Stores a collateral's totals.
    fn put_totals(&mut self, totals: &CollateralTotals) -> Result<(), CreditError> {
        Ok(self.put(state_key::totals(&totals.denom), totals)?)
    }

    /// Stores an agency.
    fn put_agency(&mut self, agency: &Agency) -> Result<(), CreditError> {
        Ok(self.put(state_key::agency(&agency.agency), agency)?)
    }

    /// Removes an agency.
    fn delete_agency(&mut self, agency: &Address) {
        self.delete(state_key::agency(agency));
    }

    /// Stores a rating.
    fn put_rating(&mut self, rating: &Rating) -> Result<(), CreditError> {
        Ok(self.put(state_key::rating(&rating.enterprise), rating)?)
    }

    /// The per-block hook: compounds the rate by `fee_per_block` and mints
    /// the fee the vaults accrued (Σ normalized debt × Δrate, rounded down)
    /// — first against bad debt (nothing minted for that part: the debt
    /// now backs tokens already in circulation), the rest to the surplus
    /// buffer. Returns `(new rate, fee accrued, bad debt covered)`. The
    /// arithmetic cannot fail on user data: the rate is capped at
    /// `MAX_RATE`, and total debt is bounded by the collateral ceilings
    /// (at most 32 × 2^100), so the fee fits in u128.
    fn accrue_fees(&mut self) -> Result<(u128, u128, u128), CreditError> {
        let params = self.credit_params()?;
        let mut books = self.books()?;
        let old = books.rate;
        let new = math::next_rate(old, params.fee_per_block);
        if new == old {
            return Ok((old, 0, 0));
        }
        let fee = math::mul_div_floor(books.normalized_debt, new.saturating_sub(old), RAY)
            .ok_or_else(|| CreditError::Corrupt {
                reason: "total debt exceeds the bound the ceilings keep".into(),
            })?;
        let covered = fee.min(books.bad_debt);
        books.bad_debt = books.bad_debt.saturating_sub(covered);
        books.rate = new;
        self.put_books(&books)?;
        let minted = fee.saturating_sub(covered);
        if minted > 0 {
            let (credit, _) = self.credit_denoms()?;
            self.mint(
                &surplus_account(),
                &Coin {
                    denom: credit,
                    amount: Amount::new(minted),
                },
            )?;
        }
        Ok((new, fee, covered))
    }
}

impl<T: StateWrite + ?Sized> CreditStateWriteExt for T {}
