use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::PublicKey;

use crate::{
    AssetClass, AssetError, AssetStateWriteExt, event,
    msg::{MAX_ATTESTATION_KEYS, UpdateAttestationKeys},
};

use super::require_creator;

impl UpdateAttestationKeys {
    /// The class's key list after the update (removals first), or why not.
    fn apply(&self, class: &AssetClass) -> Result<Vec<PublicKey>, AssetError> {
        let mut keys = class.attestation_keys.clone();
        for k in &self.remove {
            let at = keys.iter().position(|x| x == k).ok_or_else(|| {
                AssetError::AttestationKeyNotFound {
                    class_id: class.id,
                    key: k.to_hex(),
                }
            })?;
            keys.remove(at);
        }
        for k in &self.add {
            if keys.contains(k) {
                return Err(AssetError::AttestationKeyExists {
                    class_id: class.id,
                    key: k.to_hex(),
                });
            }
            keys.push(k.clone());
        }
        if keys.len() > MAX_ATTESTATION_KEYS {
            return Err(AssetError::TooManyAttestationKeys {
                class_id: class.id,
                got: keys.len(),
                max: MAX_ATTESTATION_KEYS,
            });
        }
        keys.sort();
        Ok(keys)
    }
}

impl ActionHandler for UpdateAttestationKeys {
    type Error = AssetError;
    /// The class (its creator signed) and its key list after the update.
    type Checked = (AssetClass, Vec<PublicKey>);
    const KIND: &'static str = "asset/update_attestation_keys";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(AssetClass, Vec<PublicKey>), AssetError> {
        let class = require_creator(state, self.class_id, &ctx.signer)?;
        let keys = self.apply(&class)?;
        Ok((class, keys))
    }

    fn execute<S: StateWrite>(
        &self,
        (mut class, keys): (AssetClass, Vec<PublicKey>),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        class.attestation_keys = keys;
        state.put_class(&class)?;
        ctx.emit(event::attestation_keys(
            self.class_id,
            &self.add,
            &self.remove,
        ));
        Ok(())
    }
}
