//! `credit/liquidate`: anyone starts the Dutch auction of a vault below
//! the liquidation ratio.
//!
//! Why a Dutch auction, settled in each bidder's own transaction: the
//! price starts above the oracle's and falls by the block clock to a floor
//! (a positive share of the start), and every bid buys at the current price
//! and pays within the same transaction. There is no "highest bid when the
//! auction closes": a congested chain or a missing bidder cannot leave the
//! collateral to a zero bid (the Black Thursday failure of English
//! auctions) — the worst outcome is a sale at the floor. Partial bids let
//! many small keepers take part.

use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Auction, Books, CollateralTotals, CreditError, CreditStateReadExt, CreditStateWriteExt, Vault,
    event,
    math::{self, BPS},
    msg::Liquidate,
};

/// What a liquidation needs, loaded and checked.
pub struct Checked {
    vault: Vault,
    totals: CollateralTotals,
    books: Books,
    debt: u128,
    penalty: u128,
}

impl ActionHandler for Liquidate {
    type Error = CreditError;
    type Checked = Checked;
    const KIND: &'static str = "credit/liquidate";
    const BASE_GAS: u64 = 25_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, CreditError> {
        let mut vault = state.require_vault(self.vault_id)?;
        if vault.auction.is_some() {
            return Err(CreditError::InAuction { vault_id: vault.id });
        }
        let params = state.credit_params()?;
        let ctype = state.collateral_type(&params, &vault.denom)?;
        let mut books = state.books()?;
        let price = state.checked_price(&params, &ctype, ctx.block.time)?;
        let standing = state.standing(&vault, &ctype, price, books.rate)?;
        if standing.debt == 0
            || math::covers(standing.value, standing.debt, params.liquidation_ratio_bps)
        {
            return Err(CreditError::Safe {
                vault_id: vault.id,
                value: standing.value,
                debt: standing.debt,
                ratio_bps: params.liquidation_ratio_bps,
            });
        }
        let penalty = math::mul_div_ceil(
            standing.debt,
            u128::from(params.liquidation_penalty_bps),
            BPS,
        )
        .ok_or(CreditError::Overflow { what: "penalty" })?;
        let start_price = math::mul_div_floor(price, u128::from(params.auction_start_bps), BPS)
            .ok_or(CreditError::Overflow {
                what: "auction price",
            })?;
        let mut totals = state.totals(&vault.denom)?;
        let n = vault.normalized_debt;
        totals.normalized_debt = totals.normalized_debt.checked_sub(n).ok_or_else(corrupt)?;
        books.normalized_debt = books.normalized_debt.checked_sub(n).ok_or_else(corrupt)?;
        books.auction_debt =
            books
                .auction_debt
                .checked_add(standing.debt)
                .ok_or(CreditError::Overflow {
                    what: "auction debt",
                })?;
        vault.auction = Some(Auction {
            collateral: vault.collateral,
            debt: standing.debt,
            penalty,
            start_price,
            started_ms: ctx.block.time.0,
            kicker: ctx.signer,
        });
        vault.collateral = 0;
        vault.normalized_debt = 0;
        Ok(Checked {
            vault,
            totals,
            books,
            debt: standing.debt,
            penalty,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        state.put_vault(&c.vault)?;
        state.put_totals(&c.totals)?;
        state.put_books(&c.books)?;
        let start = c.vault.auction.as_ref().map_or(0, |a| a.start_price);
        ctx.emit(event::liquidation_started(
            &c.vault,
            &ctx.signer,
            c.debt,
            c.penalty,
            start,
        ));
        Ok(())
    }
}

fn corrupt() -> CreditError {
    CreditError::Corrupt {
        reason: "a vault's normalized debt exceeds the totals".into(),
    }
}
