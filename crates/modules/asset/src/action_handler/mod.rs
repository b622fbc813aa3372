//! One file per asset message: stateless check, stateful check, execute.

mod claim_income;
mod create_class;
mod deposit_income;
mod fractionalize;
mod mint_asset;
mod redeem;
mod set_asset_status;
mod set_manager;
mod transfer_asset;
mod update_attestation_keys;

use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{Asset, AssetClass, AssetError, AssetStateReadExt};

/// The class, if `signer` created it.
fn require_creator<S: StateRead>(
    state: &S,
    class_id: u64,
    signer: &Address,
) -> Result<AssetClass, AssetError> {
    let class = state.require_class(class_id)?;
    if class.creator != *signer {
        return Err(AssetError::NotClassCreator {
            class_id,
            signer: *signer,
            creator: class.creator,
        });
    }
    Ok(class)
}

/// The asset, if `signer` is its owner of record.
fn require_owner<S: StateRead>(
    state: &S,
    asset_id: u64,
    signer: &Address,
) -> Result<Asset, AssetError> {
    let asset = state.require_asset(asset_id)?;
    if asset.owner != *signer {
        return Err(AssetError::NotOwner {
            asset_id,
            signer: *signer,
            owner: asset.owner,
        });
    }
    Ok(asset)
}
