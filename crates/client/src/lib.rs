//! Fructus client SDK: what the CLI, tests and benches use to build and sign
//! transactions and to talk to a node over its REST API.
//!
//! Owns: message builders and the transaction builder ([`tx`], [`metering`]),
//! and the blocking HTTP client ([`http`]), which checks every state proof a
//! node serves with `fructus-light` before trusting the value, and verified
//! reads ([`light`]) that also check the app hash against a header signed by
//! the validators the client trusts.
//!
//! Keys live in `fructus-keyring`; this crate signs with keys it is handed
//! and never stores one.
//!
//! Must never: hold chain logic or print secrets (printing is the binary's
//! job, and only when the user asks).

pub mod http;
pub mod light;
pub mod metering;
pub mod tx;
