use fructus_component::{ActionHandler, StatelessContext, TxContext};
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
    const KIND: &'static str = "asset/update_attestation_keys";
    const BASE_GAS: u64 = 10_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), AssetError> {
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        let class = require_creator(state, self.class_id, &ctx.signer)?;
        self.apply(&class).map(|_| ())
    }

    fn execute<S: StateWrite>(
        &self,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let mut class = require_creator(state, self.class_id, &ctx.signer)?;
        class.attestation_keys = self.apply(&class)?;
        state.put_class(&class)?;
        ctx.emit(event::attestation_keys(
            self.class_id,
            &self.add,
            &self.remove,
        ));
        Ok(())
    }
}
