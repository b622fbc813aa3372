use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin};

use crate::{
    AmmError, AmmParams, AmmStateReadExt, AmmStateWriteExt, DenomExpiry, Pool, event,
    expiry::is_expired, math, msg::RemoveLiquidity, route::math_error,
};

/// One side of a withdrawal: the pool's share of a denom, and whether it
/// has expired (then it is burned, not paid).
struct Side {
    coin: Coin,
    expired: bool,
}

/// What `RemoveLiquidity` needs, loaded and checked.
pub struct Checked {
    params: AmmParams,
    pool: Pool,
    sides: [Side; 2],
}

impl<X: DenomExpiry> RemoveLiquidity<X> {
    fn load<S: StateRead>(&self, state: &S, ctx: &TxContext<'_>) -> Result<Checked, AmmError> {
        let params = state.amm_params()?;
        let pool = state.require_pool(self.pool_id)?;
        let (out_a, out_b) = math::withdraw(
            self.lp.value(),
            pool.reserve_a.value(),
            pool.reserve_b.value(),
            pool.liquidity.value(),
        )
        .map_err(|e| math_error(pool.id, e))?;
        if out_a == 0 && out_b == 0 {
            return Err(AmmError::InsufficientLiquidity {
                pool_id: pool.id,
                reason: "the withdrawal rounds to nothing; burn more LP".into(),
            });
        }
        let side = |denom: &fructus_types::Denom, amount: u128| -> Result<Side, AmmError> {
            Ok(Side {
                coin: Coin {
                    denom: denom.clone(),
                    amount: Amount::new(amount),
                },
                expired: is_expired::<X, S>(state, denom, ctx.block.time)?,
            })
        };
        let sides = [side(&pool.denom_a, out_a)?, side(&pool.denom_b, out_b)?];
        for min in self.min_out.iter() {
            let s = sides
                .iter()
                .find(|s| s.coin.denom == min.denom)
                .ok_or_else(|| {
                    AmmError::field(
                        "min_out",
                        format!(
                            "pool {} holds {} and {}, not {}",
                            pool.id, pool.denom_a, pool.denom_b, min.denom
                        ),
                    )
                })?;
            let paid = if s.expired { 0 } else { s.coin.amount.value() };
            if paid < min.amount.value() {
                return Err(AmmError::BelowMinOut {
                    denom: min.denom.to_string(),
                    got: paid,
                    min: min.amount.value(),
                });
            }
        }
        Ok(Checked {
            params,
            pool,
            sides,
        })
    }
}

impl<X: DenomExpiry> ActionHandler for RemoveLiquidity<X> {
    type Error = AmmError;
    type Checked = Checked;
    const KIND: &'static str = "amm/remove_liquidity";
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
            sides,
        } = checked;
        state.touch_pool(&mut pool, &params, ctx.block.height, ctx.block.time)?;
        state.burn(
            &ctx.signer,
            &Coin {
                denom: pool.lp_denom(),
                amount: self.lp,
            },
        )?;
        let account = pool.account();
        // math::withdraw paid at most the reserves and lp ≤ liquidity.
        let short = |_| AmmError::Corrupt {
            reason: format!("pool {} paid more than it holds", self.pool_id),
        };
        pool.liquidity = pool.liquidity.checked_sub(self.lp).map_err(short)?;
        pool.reserve_a = pool
            .reserve_a
            .checked_sub(sides[0].coin.amount)
            .map_err(short)?;
        pool.reserve_b = pool
            .reserve_b
            .checked_sub(sides[1].coin.amount)
            .map_err(short)?;
        state.put_pool(&pool)?;
        let mut paid = Vec::with_capacity(2);
        for side in sides {
            if side.coin.amount.is_zero() {
                continue;
            }
            if side.expired {
                state.burn(&account, &side.coin)?;
                ctx.emit(event::expired_burned(&pool, &ctx.signer, &side.coin));
            } else {
                state.transfer(&account, &ctx.signer, &side.coin)?;
                paid.push(side.coin);
            }
        }
        ctx.emit(event::remove_liquidity(&pool, &ctx.signer, self.lp, &paid));
        Ok(())
    }
}
