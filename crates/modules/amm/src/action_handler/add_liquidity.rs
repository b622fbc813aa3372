use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin};

use crate::{
    AmmError, AmmParams, AmmStateReadExt, AmmStateWriteExt, DenomExpiry, Pool, event,
    expiry::require_live, math, msg::AddLiquidity, route::math_error,
};

/// What `AddLiquidity` needs, loaded and checked.
pub struct Checked {
    params: AmmParams,
    pool: Pool,
    used_a: Coin,
    used_b: Coin,
    minted: Amount,
}

impl<X: DenomExpiry> AddLiquidity<X> {
    fn load<S: StateRead>(&self, state: &S, ctx: &TxContext<'_>) -> Result<Checked, AmmError> {
        let params = state.amm_params()?;
        let pool = state.require_pool(self.pool_id)?;
        let (max_a, max_b) = if self.max_a.denom == pool.denom_a && self.max_b.denom == pool.denom_b
        {
            (self.max_a.amount, self.max_b.amount)
        } else if self.max_a.denom == pool.denom_b && self.max_b.denom == pool.denom_a {
            (self.max_b.amount, self.max_a.amount)
        } else {
            return Err(AmmError::field(
                "max_a",
                format!(
                    "pool {} holds {} and {}; name those two denoms",
                    pool.id, pool.denom_a, pool.denom_b
                ),
            ));
        };
        require_live::<X, S>(state, pool.id, &pool.denom_a, ctx.block.time)?;
        require_live::<X, S>(state, pool.id, &pool.denom_b, ctx.block.time)?;
        let d = math::deposit(
            max_a.value(),
            max_b.value(),
            pool.reserve_a.value(),
            pool.reserve_b.value(),
            pool.liquidity.value(),
        )
        .map_err(|e| math_error(pool.id, e))?;
        if d.minted < self.min_lp.value() {
            return Err(AmmError::BelowMinLp {
                denom: pool.lp_denom().to_string(),
                got: d.minted,
                min: self.min_lp.value(),
            });
        }
        Ok(Checked {
            params,
            used_a: Coin {
                denom: pool.denom_a.clone(),
                amount: Amount::new(d.used_a),
            },
            used_b: Coin {
                denom: pool.denom_b.clone(),
                amount: Amount::new(d.used_b),
            },
            minted: Amount::new(d.minted),
            pool,
        })
    }
}

impl<X: DenomExpiry> ActionHandler for AddLiquidity<X> {
    type Error = AmmError;
    type Checked = Checked;
    const KIND: &'static str = "amm/add_liquidity";
    const BASE_GAS: u64 = 15_000;

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
        let Checked {
            params,
            mut pool,
            used_a,
            used_b,
            minted,
        } = checked;
        state.touch_pool(&mut pool, &params, ctx.block.height, ctx.block.time)?;
        let account = pool.account();
        state.transfer(&ctx.signer, &account, &used_a)?;
        state.transfer(&ctx.signer, &account, &used_b)?;
        state.mint(
            &ctx.signer,
            &Coin {
                denom: pool.lp_denom(),
                amount: minted,
            },
        )?;
        // math::deposit checked each sum against MAX_AMOUNT.
        let overflow = |_| AmmError::Overflow { what: "the pool" };
        pool.reserve_a = pool
            .reserve_a
            .checked_add(used_a.amount)
            .map_err(overflow)?;
        pool.reserve_b = pool
            .reserve_b
            .checked_add(used_b.amount)
            .map_err(overflow)?;
        pool.liquidity = pool.liquidity.checked_add(minted).map_err(overflow)?;
        state.put_pool(&pool)?;
        ctx.emit(event::add_liquidity(
            &pool,
            &ctx.signer,
            &used_a,
            &used_b,
            minted,
        ));
        Ok(())
    }
}
