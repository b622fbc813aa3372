use fructus_bank::{BankStateReadExt, BankStateWriteExt, DenomMetadata};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin};

use crate::{
    AmmError, AmmParams, AmmStateReadExt, AmmStateWriteExt, DenomExpiry, Pool, Twap, event,
    expiry::require_live,
    lp_denom,
    math::{self, MINIMUM_LIQUIDITY},
    msg::CreatePool,
    route::math_error,
};

/// What `CreatePool` needs, loaded and checked.
pub struct Checked {
    params: AmmParams,
    /// The deposit of the lesser denom.
    a: Coin,
    /// The deposit of the greater denom.
    b: Coin,
    /// LP tokens are `kyc_only` when either denom is.
    lp_kyc_only: bool,
    /// Liquidity in total and minted to the creator.
    liquidity: u128,
    minted: u128,
}

impl<X: DenomExpiry> CreatePool<X> {
    fn load<S: StateRead>(&self, state: &S, ctx: &TxContext<'_>) -> Result<Checked, AmmError> {
        let params = state.amm_params()?;
        let (a, b) = if self.amount_a.denom < self.amount_b.denom {
            (self.amount_a.clone(), self.amount_b.clone())
        } else {
            (self.amount_b.clone(), self.amount_a.clone())
        };
        let mut lp_kyc_only = false;
        for denom in [&a.denom, &b.denom] {
            if !denom.is_native() {
                let meta = state
                    .denom_metadata(denom)?
                    .ok_or_else(|| AmmError::DenomNotFound {
                        denom: denom.to_string(),
                    })?;
                lp_kyc_only |= meta.kyc_only;
            }
            require_live::<X, S>(state, 0, denom, ctx.block.time)?;
        }
        if let Some(pool_id) = state.pool_of_pair(&a.denom, &b.denom)? {
            return Err(AmmError::PoolExists {
                denom_a: a.denom.to_string(),
                denom_b: b.denom.to_string(),
                pool_id,
            });
        }
        let (liquidity, minted) = math::initial_liquidity(a.amount.value(), b.amount.value())
            .map_err(|e| math_error(0, e))?;
        Ok(Checked {
            params,
            a,
            b,
            lp_kyc_only,
            liquidity,
            minted,
        })
    }
}

impl<X: DenomExpiry> ActionHandler for CreatePool<X> {
    type Error = AmmError;
    type Checked = Checked;
    const KIND: &'static str = "amm/create_pool";
    const BASE_GAS: u64 = 40_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, AmmError> {
        self.load(state, ctx)
    }

    fn execute<S: StateWrite>(
        &self,
        checked: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AmmError> {
        let c = checked;
        let id = state.next_pool_id()?;
        let lp = lp_denom(id);
        let mut pool = Pool {
            id,
            denom_a: c.a.denom.clone(),
            denom_b: c.b.denom.clone(),
            reserve_a: c.a.amount,
            reserve_b: c.b.amount,
            liquidity: Amount::new(c.liquidity),
            fee_bps: self.fee_bps.unwrap_or(c.params.default_fee_bps),
            creator: ctx.signer,
            created_height: ctx.block.height,
            twap: Twap {
                updated_ms: ctx.block.time.0,
                updated_height: ctx.block.height,
                ..Twap::default()
            },
        };
        let account = pool.account();
        state.register_module_account(&account)?;
        state.transfer(&ctx.signer, &account, &c.a)?;
        state.transfer(&ctx.signer, &account, &c.b)?;
        state.put_denom_metadata(&DenomMetadata {
            denom: lp.clone(),
            issuer: None,
            symbol: "LP".into(),
            decimals: 0,
            kyc_only: c.lp_kyc_only,
        })?;
        // The locked minimum is held by the pool's own account, which never
        // sends it: the LP supply always equals the recorded liquidity.
        state.mint(
            &account,
            &Coin {
                denom: lp.clone(),
                amount: Amount::new(MINIMUM_LIQUIDITY),
            },
        )?;
        let minted = Amount::new(c.minted);
        state.mint(
            &ctx.signer,
            &Coin {
                denom: lp,
                amount: minted,
            },
        )?;
        state.record_observation(&mut pool, &c.params, ctx.block.time.0)?;
        state.put_pool(&pool)?;
        ctx.emit(event::create_pool(&pool, minted, MINIMUM_LIQUIDITY));
        Ok(())
    }
}
