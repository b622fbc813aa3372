//! `MsgCreateValidator`, also run for every genesis validator (so genesis
//! validators pass exactly the checks a transaction would).

use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, Event, StatelessContext, TxContext};
use fructus_identity::{IdentityStateReadExt, Tier};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockHeight, BlockTime, Coin, Denom};

use crate::{
    Commission, Delegation, MAX_VALIDATORS, SigningInfo, StakingError, StakingStateReadExt,
    StakingStateWriteExt, Validator, bonded_pool, event,
    msg::{CreateValidator, consensus_key_possession_bytes},
};

/// The consensus key signed [`consensus_key_possession_bytes`] for this
/// operator and chain. Nobody registers a key they do not hold — not
/// another validator's (to grief it), and no key whose votes anyone could
/// forge (small-order keys are refused when the key is parsed).
pub fn verify_possession(
    chain_id: &str,
    operator: &Address,
    msg: &CreateValidator,
) -> Result<(), StakingError> {
    let bytes = consensus_key_possession_bytes(chain_id, operator, &msg.consensus_key);
    msg.consensus_key
        .verify(&bytes, &msg.consensus_key_proof)
        .map_err(|_| StakingError::BadConsensusKeyProof {
            operator: *operator,
        })
}

/// The stateful checks: the operator is a regulator or a KYC'd enterprise
/// at (`height`, `time`), not frozen, runs no validator yet; the key is
/// unused; the table has room.
pub fn check<S: StateRead + ?Sized>(
    state: &S,
    operator: &Address,
    msg: &CreateValidator,
    height: BlockHeight,
    time: BlockTime,
) -> Result<(), StakingError> {
    state.check_not_frozen(operator)?;
    let tier = state.tier(operator, height, time)?;
    if !matches!(tier, Tier::Regulator | Tier::Enterprise) {
        return Err(StakingError::NotEligible {
            operator: *operator,
            tier,
        });
    }
    if state.validator(operator)?.is_some() {
        return Err(StakingError::ValidatorExists {
            operator: *operator,
        });
    }
    let consensus_address = msg.consensus_key.address();
    if let Some(other) = state.operator_of(&consensus_address)? {
        return Err(StakingError::ConsensusKeyInUse {
            consensus_address,
            operator: other,
        });
    }
    if state.validators()?.len() >= MAX_VALIDATORS {
        return Err(StakingError::TooManyValidators {
            max: MAX_VALIDATORS,
        });
    }
    Ok(())
}

/// Writes the validator and its self-delegation and bonds the self-bond.
pub fn apply<S: StateWrite + ?Sized>(
    state: &mut S,
    operator: &Address,
    msg: &CreateValidator,
    height: BlockHeight,
    time: BlockTime,
) -> Result<Event, StakingError> {
    let amount = msg.self_bond.value();
    state.transfer(
        operator,
        &bonded_pool(),
        &Coin::new(Denom::native(), amount),
    )?;
    let v = Validator {
        operator: *operator,
        consensus_key: msg.consensus_key.clone(),
        moniker: msg.moniker.clone(),
        commission: Commission {
            rate_bps: msg.commission_rate_bps,
            max_rate_bps: msg.commission_max_rate_bps,
            max_change_bps: msg.commission_max_change_bps,
            last_change: time,
        },
        min_self_bond: msg.min_self_bond.value(),
        tokens: amount,
        shares: amount,
        jailed_until: None,
        tombstoned: false,
        reward_acc: 0,
        reward_carry: 0,
        commission_owed: 0,
        created_height: height,
    };
    state.put_validator(&v)?;
    state.put_delegation(&Delegation {
        delegator: *operator,
        validator: *operator,
        shares: amount,
        checkpoint: 0,
        frac: 0,
    })?;
    state.put_signing_info(operator, &SigningInfo::default())?;
    Ok(event::create_validator(
        operator,
        &v.consensus_address(),
        amount,
    ))
}

impl ActionHandler for CreateValidator {
    type Error = StakingError;
    type Checked = ();
    const KIND: &'static str = "staking/create_validator";
    const BASE_GAS: u64 = 20_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), StakingError> {
        self.validate()
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), StakingError> {
        verify_possession(&ctx.block.chain_id, &ctx.signer, self)?;
        check(state, &ctx.signer, self, ctx.block.height, ctx.block.time)
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), StakingError> {
        let event = apply(state, &ctx.signer, self, ctx.block.height, ctx.block.time)?;
        ctx.emit(event);
        Ok(())
    }
}
