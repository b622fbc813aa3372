//! Parallel execution of a block's transactions (issue 20).
//!
//! The result of a block never depends on how it was executed: the
//! parallel path must produce, bit for bit, the state, results and events
//! of the sequential one.

/// How a block's transactions execute. Both give the same state, results
/// and app hash; [`Execution::Sequential`] is kept as the reference the
/// parallel path is checked against, and for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Execution {
    /// Transactions whose state is disjoint run on all cores; conflicting
    /// ones fall back to block order.
    #[default]
    Parallel,
    /// One transaction after another, in block order.
    Sequential,
}
