/// A block height (the genesis state is version 0; the first block is 1).
pub type BlockHeight = u64;

/// A block's timestamp in milliseconds since the Unix epoch, as proposed by
/// the block's proposer. The state machine's only clock.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct BlockTime(pub u64);

impl BlockTime {
    /// Milliseconds since the epoch.
    pub const fn millis(self) -> u64 {
        self.0
    }
}
