//! `credit/bid`: buy auctioned collateral at the current Dutch-auction
//! price (see `liquidate.rs` for why), paying in the credit denom within
//! this transaction. What pays the debt is burned; what pays the penalty
//! goes to the surplus buffer. When the debt and penalty are recovered the
//! rest of the collateral returns to the vault; when the collateral runs
//! out first, the debt left is a shortfall covered, in this order, by
//! (1) burning from the surplus buffer, then (2) recorded as bad debt,
//! which later stability fees cover before they reach the buffer and which
//! anyone (the governance treasury as backstop) may burn credit tokens
//! against (`credit/cover_bad_debt`).
//!
//! A bid reads no oracle price: its price is the auction's clock, started
//! from the price the liquidation checked (fresh and within the TWAP
//! bound). A stale feed therefore cannot stop a running auction, and a
//! manipulated one cannot start it.

use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::{ActionHandler, TxContext};
use fructus_oracle::PRICE_SCALE;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin, Denom};

use crate::{
    Books, CreditError, CreditStateReadExt, CreditStateWriteExt, Vault, event, math, msg::Bid,
    surplus_account, vault_account,
};

/// What a bid needs, loaded and checked.
pub struct Checked {
    vault: Vault,
    books: Books,
    credit: Denom,
    price: u128,
    bought: u128,
    to_debt: u128,
    to_penalty: u128,
    /// Collateral returned to the vault when the auction ends recovered.
    returned: u128,
    /// Shortfall burned from the surplus, and recorded as bad debt.
    from_surplus: u128,
    bad_debt: u128,
    ended: bool,
}

impl ActionHandler for Bid {
    type Error = CreditError;
    type Checked = Checked;
    const KIND: &'static str = "credit/bid";
    const BASE_GAS: u64 = 30_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, CreditError> {
        let mut vault = state.require_vault(self.vault_id)?;
        let mut auction = vault
            .auction
            .clone()
            .ok_or(CreditError::NoAuction { vault_id: vault.id })?;
        let params = state.credit_params()?;
        let elapsed = ctx.block.time.0.saturating_sub(auction.started_ms);
        let price = math::auction_price(
            auction.start_price,
            elapsed,
            params.auction_decay_bps_per_minute,
            params.auction_floor_bps,
        )
        .max(1);
        if price > self.max_price {
            return Err(CreditError::AbovePrice {
                price,
                max: self.max_price,
            });
        }
        let owe = auction.debt.saturating_add(auction.penalty);
        let to_cover =
            math::mul_div_ceil(owe, PRICE_SCALE, price).ok_or(CreditError::Overflow {
                what: "collateral to cover",
            })?;
        let bought = self.max_collateral.min(auction.collateral).min(to_cover);
        let cost = if bought == to_cover {
            owe
        } else {
            math::mul_div_ceil(bought, price, PRICE_SCALE)
                .ok_or(CreditError::Overflow { what: "bid cost" })?
                .min(owe)
        };
        let to_debt = cost.min(auction.debt);
        let to_penalty = cost.saturating_sub(to_debt);
        auction.collateral = auction.collateral.saturating_sub(bought);
        auction.debt = auction.debt.saturating_sub(to_debt);
        auction.penalty = auction.penalty.saturating_sub(to_penalty);
        let mut books = state.books()?;
        books.auction_debt = books
            .auction_debt
            .checked_sub(to_debt)
            .ok_or_else(corrupt)?;
        let (credit, _) = state.credit_denoms()?;
        let (mut returned, mut from_surplus, mut bad_debt, mut ended) = (0, 0, 0, false);
        if auction.debt == 0 && auction.penalty == 0 {
            returned = auction.collateral;
            vault.collateral = vault.collateral.saturating_add(returned);
            ended = true;
        } else if auction.collateral == 0 {
            let surplus = state.balance(&surplus_account(), &credit)?.value();
            from_surplus = auction.debt.min(surplus);
            bad_debt = auction.debt.saturating_sub(from_surplus);
            books.auction_debt = books
                .auction_debt
                .checked_sub(auction.debt)
                .ok_or_else(corrupt)?;
            books.bad_debt = books
                .bad_debt
                .checked_add(bad_debt)
                .ok_or(CreditError::Overflow { what: "bad debt" })?;
            ended = true;
        }
        vault.auction = (!ended).then_some(auction);
        Ok(Checked {
            vault,
            books,
            credit,
            price,
            bought,
            to_debt,
            to_penalty,
            returned,
            from_surplus,
            bad_debt,
            ended,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        let credit = |amount: u128| Coin {
            denom: c.credit.clone(),
            amount: Amount::new(amount),
        };
        state.burn(&ctx.signer, &credit(c.to_debt))?;
        state.transfer(&ctx.signer, &surplus_account(), &credit(c.to_penalty))?;
        state.transfer(
            &vault_account(c.vault.id),
            &ctx.signer,
            &Coin {
                denom: c.vault.denom.clone(),
                amount: Amount::new(c.bought),
            },
        )?;
        if c.from_surplus > 0 {
            state.burn(&surplus_account(), &credit(c.from_surplus))?;
        }
        state.put_vault(&c.vault)?;
        state.put_books(&c.books)?;
        let paid = c.to_debt.saturating_add(c.to_penalty);
        ctx.emit(event::bid(&c.vault, &ctx.signer, c.bought, paid, c.price));
        if c.ended {
            ctx.emit(event::auction_ended(
                &c.vault,
                c.returned,
                c.from_surplus,
                c.bad_debt,
            ));
        }
        Ok(())
    }
}

fn corrupt() -> CreditError {
    CreditError::Corrupt {
        reason: "an auction's debt exceeds the books".into(),
    }
}
