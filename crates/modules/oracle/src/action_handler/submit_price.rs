use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Address;

use crate::{
    OracleError, OracleParams, OracleStateReadExt, OracleStateWriteExt, PairState, Submission,
    event, msg::SubmitPrice, price,
};

/// What a post needs, loaded and checked.
pub struct Checked {
    params: OracleParams,
    /// The pair's aggregate (`None` for a new pair).
    pair: Option<PairState>,
    /// The other posts of the current window by active feeders.
    current: Vec<u128>,
    /// Posts of feeders no longer active, to delete.
    inactive: Vec<Address>,
}

impl ActionHandler for SubmitPrice {
    type Error = OracleError;
    type Checked = Checked;
    const KIND: &'static str = "oracle/submit_price";
    const BASE_GAS: u64 = 8_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, OracleError> {
        if state.feeder(&ctx.signer)?.is_none() {
            return Err(OracleError::NotFeeder { signer: ctx.signer });
        }
        let params = state.oracle_params()?;
        let window = ctx.block.time.0.checked_div(params.window_ms).unwrap_or(0);
        let (base, quote) = (&self.pair.base, &self.pair.quote);
        let mut current = Vec::new();
        let mut inactive = Vec::new();
        for s in state.submissions(base, quote)? {
            if s.feeder == ctx.signer {
                continue;
            }
            if state.feeder(&s.feeder)?.is_none() {
                inactive.push(s.feeder);
            } else if s.window == window {
                current.push(s.price);
            }
        }
        Ok(Checked {
            pair: state.pair_state(base, quote)?,
            params,
            current,
            inactive,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), OracleError> {
        let now = ctx.block.time.0;
        let window = now.checked_div(c.params.window_ms).unwrap_or(0);
        for feeder in &c.inactive {
            state.delete_submission(&self.pair, feeder);
        }
        state.put_submission(
            &self.pair,
            &Submission {
                feeder: ctx.signer,
                price: self.price,
                time_ms: now,
                window,
            },
        )?;
        let mut prices = c.current;
        prices.push(self.price);
        let reporters = u32::try_from(prices.len()).unwrap_or(u32::MAX);
        let new = c.pair.is_none();
        let mut pair = c.pair.unwrap_or_else(|| PairState {
            pair: self.pair.clone(),
            price: 0,
            updated_ms: 0,
            reporters: 0,
            points: Vec::new(),
        });
        let median = (reporters >= c.params.min_feeders)
            .then(|| price::median(&mut prices))
            .flatten();
        if let Some(m) = median {
            pair.price = m;
            pair.updated_ms = now;
            pair.reporters = reporters;
            price::push_point(
                &mut pair.points,
                now,
                c.params.window_ms,
                m,
                c.params.point_capacity(),
            );
        }
        state.put_pair(&pair, new)?;
        ctx.emit(event::submit_price(
            &self.pair,
            &ctx.signer,
            self.price,
            window,
            median,
            reporters,
        ));
        Ok(())
    }
}
