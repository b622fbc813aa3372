use fructus_asset::AssetStateReadExt;
use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_metering::{DeviceStatus, MeteringStateReadExt};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin, Denom};

use crate::{
    ComputeError, ComputeStateReadExt, ComputeStateWriteExt, GPU_HOUR_UNIT, GreenLink, Provider,
    bond_account, event, msg::RegisterProvider, params::BPS,
};

impl ActionHandler for RegisterProvider {
    type Error = ComputeError;
    type Checked = ();
    const KIND: &'static str = "compute/register_provider";
    const BASE_GAS: u64 = 30_000;

    /// The signer operates the asset (metering's rule: owner or class
    /// manager, not retired); its class measures `gpu-hour`; it has a live
    /// device that is active — hardware attested by its manufacturer
    /// before anything is sold; the bond reaches `min_bond`; a green
    /// energy asset exists.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let refuse = |reason: String| ComputeError::NotComputeAsset {
            asset_id: self.asset_id,
            reason,
        };
        let params = state.compute_params()?;
        if state.provider(self.asset_id)?.is_some() {
            return Err(ComputeError::ProviderExists {
                asset_id: self.asset_id,
            });
        }
        let class_id = state
            .require_asset_operator(self.asset_id, &ctx.signer)
            .map_err(ComputeError::from_dependency)?;
        let class = state
            .require_class(class_id)
            .map_err(ComputeError::from_dependency)?;
        if class.unit != GPU_HOUR_UNIT {
            return Err(refuse(format!(
                "its class measures {:?}, not {GPU_HOUR_UNIT:?}",
                class.unit
            )));
        }
        match state
            .device_of_asset(self.asset_id)
            .map_err(ComputeError::from_dependency)?
        {
            Some(d) if d.status == DeviceStatus::Active => {}
            Some(d) => return Err(refuse(format!("its device {} is {}", d.address, d.status))),
            None => {
                return Err(refuse(
                    "it has no attested device: register one with `tx device register`".into(),
                ));
            }
        }
        if self.bond < params.min_bond {
            return Err(ComputeError::BondTooSmall {
                got: self.bond.value(),
                min: params.min_bond.value(),
            });
        }
        if self.maintainer_bps.saturating_add(params.platform_bps) > BPS {
            return Err(ComputeError::field(
                "maintainer_bps",
                format!(
                    "at most {} (10000 minus the platform's {})",
                    BPS.saturating_sub(params.platform_bps),
                    params.platform_bps
                ),
            ));
        }
        if let GreenLink::EnergyAsset(a) = self.green
            && state
                .asset(a)
                .map_err(ComputeError::from_dependency)?
                .is_none()
        {
            return Err(ComputeError::field(
                "green_energy_asset",
                format!("asset {a} does not exist"),
            ));
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let account = bond_account(self.asset_id);
        state.register_module_account(&account)?;
        state.transfer(
            &ctx.signer,
            &account,
            &Coin {
                denom: Denom::native(),
                amount: self.bond,
            },
        )?;
        let p = Provider {
            asset_id: self.asset_id,
            operator: ctx.signer,
            gpu_model: self.gpu_model.clone(),
            gpus: self.gpus,
            green: self.green.clone(),
            maintainer: self.maintainer,
            maintainer_bps: self.maintainer_bps,
            bond: self.bond,
            slashed: Amount::ZERO,
            online: false,
            gpus_online: 0,
            heartbeat_sequence: 0,
            last_heartbeat_ms: 0,
            offline_at_ms: None,
            open_orders: Vec::new(),
            certificates_committed: 0,
            registered_height: ctx.block.height,
        };
        state.put_provider(&p)?;
        ctx.emit(event::register_provider(&p));
        Ok(())
    }
}
