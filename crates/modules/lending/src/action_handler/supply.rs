use fructus_bank::{BankStateReadExt, BankStateWriteExt, DenomMetadata};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Denom;

use super::{add, coin, listed, pay_in};
use crate::{
    LendingError, LendingStateReadExt, LendingStateWriteExt, Market, event, lend_denom, msg::Supply,
};

/// What a deposit needs, loaded and checked.
pub struct Checked {
    market: Market,
    tokens: u128,
    lend: Denom,
    /// The deposit token's metadata when this deposit registers it.
    register: Option<DenomMetadata>,
}

impl ActionHandler for Supply {
    type Error = LendingError;
    type Checked = Checked;
    const KIND: &'static str = "lending/supply";
    const BASE_GAS: u64 = 15_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, LendingError> {
        let denom = &self.amount.denom;
        let params = state.lending_params()?;
        listed(&params, denom)?;
        let mut market = state.market_at(&params, denom, ctx.block.time)?;
        let amount = self.amount.amount.value();
        let tokens = market.tokens_for(amount).ok_or_else(|| {
            LendingError::field(
                "amount",
                format!(
                    "too small to mint one lend/{denom} token at the exchange rate {} (×10^18)",
                    market.exchange_rate()
                ),
            )
        })?;
        market.cash = add(market.cash, amount, "pool cash")?;
        market.supply = add(market.supply, tokens, "deposit token supply")?;
        let lend = lend_denom(denom).ok_or_else(|| LendingError::Corrupt {
            reason: format!("listed market {denom} has no valid deposit token"),
        })?;
        let register = match state.denom_metadata(&lend)? {
            Some(_) => None,
            None => Some(DenomMetadata {
                denom: lend.clone(),
                issuer: None,
                symbol: "LEND".into(),
                decimals: state.denom_metadata(denom)?.map_or(6, |m| m.decimals),
                // A deposit token is as restricted as what it claims.
                kyc_only: state.denom_metadata(denom)?.is_some_and(|m| m.kyc_only),
            }),
        };
        Ok(Checked {
            market,
            tokens,
            lend,
            register,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let denom = &self.amount.denom;
        if let Some(meta) = &c.register {
            state.put_denom_metadata(meta)?;
        }
        pay_in(state, &ctx.signer, denom, self.amount.amount.value())?;
        state.mint(&ctx.signer, &coin(&c.lend, c.tokens))?;
        state.put_market(denom, &c.market)?;
        ctx.emit(
            event::pool(
                "supply",
                &ctx.signer,
                denom,
                self.amount.amount.value(),
                &c.market,
            )
            .attr("minted", coin(&c.lend, c.tokens)),
        );
        Ok(())
    }
}
