use fructus_asset::AssetStateReadExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{MeteringError, MeteringStateWriteExt, event, msg::SetPlausibilityBound};

impl ActionHandler for SetPlausibilityBound {
    type Error = MeteringError;
    type Checked = ();
    const KIND: &'static str = "metering/set_plausibility_bound";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let class = state.require_class(self.class_id)?;
        if class.creator != ctx.signer {
            return Err(MeteringError::NotClassCreator {
                class_id: self.class_id,
                signer: ctx.signer,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        state.put_plausibility_bound(self.class_id, self.max_units_per_second)?;
        ctx.emit(event::plausibility_bound(
            self.class_id,
            self.max_units_per_second,
        ));
        Ok(())
    }
}
