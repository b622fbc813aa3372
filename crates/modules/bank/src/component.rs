use fructus_component::{BlockContext, Component, Event};
use fructus_storage::StateWrite;
use fructus_types::Denom;

use crate::{BankError, BankGenesis, BankStateWriteExt, DenomMetadata, fee_collector};

/// The bank module's life-cycle hooks.
#[derive(Debug, Clone, Copy)]
pub struct Bank;

impl Component for Bank {
    type Genesis = BankGenesis;
    type Error = BankError;

    fn init_genesis<S: StateWrite>(state: &mut S, genesis: &BankGenesis) -> Result<(), BankError> {
        genesis.validate()?;
        state.put_denom_metadata(&DenomMetadata {
            denom: Denom::native(),
            issuer: None,
            symbol: "FRX".into(),
            decimals: 6,
            kyc_only: false,
        })?;
        for meta in &genesis.denoms {
            state.put_denom_metadata(meta)?;
        }
        for balance in &genesis.balances {
            for coin in &balance.coins {
                state.mint_ungated(&balance.address, coin)?;
            }
        }
        state.register_module_account(&fee_collector())
    }

    fn begin_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        _events: &mut Vec<Event>,
    ) -> Result<(), BankError> {
        state.set_block_clock(ctx.height, ctx.time)
    }
}
