//! Rust types of the public wire schema (`proto/` at the repository root),
//! generated at build time by prost from descriptors compiled with protox.
//!
//! Owns: nothing but the generated code. Must never: carry logic or
//! validation (that belongs to the domain types in `fructus-types` and the
//! module crates), or be edited by hand.
#![allow(missing_docs, unreachable_pub, clippy::all)]

/// `fructus.crypto.*`
pub mod crypto {
    /// `fructus.crypto.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.crypto.v1.rs"));
    }
}

/// `fructus.base.*`
pub mod base {
    /// `fructus.base.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.base.v1.rs"));
    }
}

/// `fructus.auth.*`
pub mod auth {
    /// `fructus.auth.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.auth.v1.rs"));
    }
}

/// `fructus.bank.*`
pub mod bank {
    /// `fructus.bank.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.bank.v1.rs"));
    }
}

/// `fructus.identity.*`
pub mod identity {
    /// `fructus.identity.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.identity.v1.rs"));
    }
}

/// `fructus.asset.*`
pub mod asset {
    /// `fructus.asset.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.asset.v1.rs"));
    }
}

/// `fructus.staking.*`
pub mod staking {
    /// `fructus.staking.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.staking.v1.rs"));
    }
}

/// `fructus.metering.*`
pub mod metering {
    /// `fructus.metering.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.metering.v1.rs"));
    }
}

/// `fructus.amm.*`
pub mod amm {
    /// `fructus.amm.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.amm.v1.rs"));
    }
}

/// `fructus.certificate.*`
pub mod certificate {
    /// `fructus.certificate.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.certificate.v1.rs"));
    }
}

/// `fructus.compute.*`
pub mod compute {
    /// `fructus.compute.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.compute.v1.rs"));
    }
}

/// `fructus.oracle.*`
pub mod oracle {
    /// `fructus.oracle.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.oracle.v1.rs"));
    }
}

/// `fructus.credit.*`
pub mod credit {
    /// `fructus.credit.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.credit.v1.rs"));
    }
}

/// `fructus.governance.*`
pub mod governance {
    /// `fructus.governance.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.governance.v1.rs"));
    }
}

/// `fructus.lending.*`
pub mod lending {
    /// `fructus.lending.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.lending.v1.rs"));
    }
}

/// `fructus.tx.*`
pub mod tx {
    /// `fructus.tx.v1`
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/fructus.tx.v1.rs"));
    }
}

pub use prost::Message as ProstMessage;
