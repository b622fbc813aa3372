//! One file per auth message: stateless check, stateful check, execute.

mod grant_fee;
mod revoke_fee;
mod rotate_key;
