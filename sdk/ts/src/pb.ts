/** The generated wire types, one namespace per proto package. */
export * as amm from "./gen/fructus/amm/v1/msgs_pb.js";
export * as asset from "./gen/fructus/asset/v1/msgs_pb.js";
export * as auth from "./gen/fructus/auth/v1/msgs_pb.js";
export * as bank from "./gen/fructus/bank/v1/msgs_pb.js";
export * as base from "./gen/fructus/base/v1/coin_pb.js";
export * as certificate from "./gen/fructus/certificate/v1/msgs_pb.js";
export * as compute from "./gen/fructus/compute/v1/msgs_pb.js";
export * as credit from "./gen/fructus/credit/v1/msgs_pb.js";
export * as crypto from "./gen/fructus/crypto/v1/keys_pb.js";
export * as governance from "./gen/fructus/governance/v1/msgs_pb.js";
export * as identity from "./gen/fructus/identity/v1/msgs_pb.js";
export * as metering from "./gen/fructus/metering/v1/msgs_pb.js";
export * as oracle from "./gen/fructus/oracle/v1/msgs_pb.js";
export * as staking from "./gen/fructus/staking/v1/msgs_pb.js";
export * as tx from "./gen/fructus/tx/v1/tx_pb.js";
