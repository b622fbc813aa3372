//! The OpenAPI 3.0 document of the API, written by hand.
//!
//! Every route of [`crate::routes`] is described here with its parameters,
//! request body and responses; a test fails if a route is missing. Schemas
//! mirror the JSON of the views in [`crate::api`].

use axum::Json;
use serde_json::{Value, json};

/// `GET /openapi.json`.
pub(crate) async fn serve_document() -> Json<Value> {
    Json(document())
}

fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn ok(description: &str, body: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": body } } })
}

fn error(description: &str) -> Value {
    ok(description, schema("Error"))
}

fn path_param(name: &str, description: &str, pattern: Option<&str>) -> Value {
    let mut param = json!({
        "name": name,
        "in": "path",
        "required": true,
        "description": description,
        "schema": { "type": "string" }
    });
    if let (Some(pattern), Some(schema)) = (pattern, param.get_mut("schema")) {
        schema["pattern"] = json!(pattern);
    }
    param
}

fn query_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn hex_string(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn u64_schema(description: &str) -> Value {
    json!({ "type": "integer", "format": "int64", "minimum": 0, "description": description })
}

fn address() -> Value {
    json!({ "type": "string", "description": "bech32 address, prefix `fx`", "example": "fx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq3l8u4e" })
}

fn schemas() -> Value {
    json!({
        "Error": {
            "type": "object",
            "description": "Every error response. The HTTP status carries the class (400, 404, 405, 413, 422, 429, 500, 503, 504).",
            "required": ["code", "codespace", "message"],
            "properties": {
                "code": { "type": "integer", "format": "int32", "minimum": 0, "description": "Stable code within `codespace`" },
                "codespace": { "type": "string", "description": "Which part refused: `api`, `tx`, `mempool`, a module name …" },
                "message": { "type": "string", "description": "What went wrong and what to do" }
            }
        },
        "Status": {
            "type": "object",
            "required": ["chain_id", "moniker", "latest_height", "latest_block_time", "latest_block_hash", "app_hash", "validator_count", "syncing", "mempool_size", "peers"],
            "properties": {
                "chain_id": { "type": "string" },
                "moniker": { "type": "string" },
                "latest_height": u64_schema("Last committed height (0 = genesis only)"),
                "latest_block_time": u64_schema("Its time, ms since the epoch"),
                "latest_block_hash": hex_string("Its hash (hex; empty before the first block)"),
                "app_hash": hex_string("State root after it (hex)"),
                "validator_count": { "type": "integer", "minimum": 0 },
                "syncing": { "type": "boolean" },
                "mempool_size": { "type": "integer", "minimum": 0 },
                "peers": { "type": "integer", "minimum": 0 }
            }
        },
        "BlockHeader": {
            "type": "object",
            "required": ["chain_id", "height", "time", "prev_block_hash", "app_hash", "tx_root", "proposer", "validator_set_hash", "last_commit_hash", "evidence_hash"],
            "properties": {
                "chain_id": { "type": "string" },
                "height": u64_schema("Height (1 = first block)"),
                "time": u64_schema("Proposer's timestamp, ms since the epoch"),
                "prev_block_hash": hex_string("Previous header's hash (hex)"),
                "app_hash": hex_string("State root after the previous block (hex)"),
                "tx_root": hex_string("Merkle root of the transaction hashes (hex)"),
                "proposer": address(),
                "validator_set_hash": hex_string("Hash of the validator set signing this height (hex)"),
                "last_commit_hash": hex_string("SHA-256 of the previous height's commit certificate carried by the block (hex)"),
                "evidence_hash": hex_string("SHA-256 of the double-sign evidence carried by the block (hex)")
            }
        },
        "Certificate": {
            "type": "object",
            "required": ["round", "signers"],
            "properties": {
                "round": { "type": "integer", "minimum": 0 },
                "signers": { "type": "array", "items": address() }
            }
        },
        "Block": {
            "type": "object",
            "required": ["height", "hash", "header", "tx_hashes", "txs", "app_hash_after"],
            "properties": {
                "height": u64_schema("Height"),
                "hash": hex_string("Block hash (hex)"),
                "header": schema("BlockHeader"),
                "tx_hashes": { "type": "array", "items": hex_string("Transaction hash (hex, upper case)") },
                "txs": { "type": "array", "items": { "type": "string", "format": "byte" } },
                "app_hash_after": hex_string("State root after executing the block (hex)"),
                "certificate": { "allOf": [schema("Certificate")], "nullable": true },
                "events": { "type": "array", "items": schema("Event"), "description": "Events of the begin- and end-of-block hooks: slashing, jailing, unbonding payouts, contract periods" }
            }
        },
        "EventAttribute": {
            "type": "object",
            "required": ["key", "value"],
            "properties": { "key": { "type": "string" }, "value": { "type": "string" } }
        },
        "Event": {
            "type": "object",
            "required": ["kind", "attributes"],
            "properties": {
                "kind": { "type": "string", "description": "`module.what`, e.g. `bank.transfer`" },
                "attributes": { "type": "array", "items": schema("EventAttribute") }
            }
        },
        "Tx": {
            "type": "object",
            "required": ["hash", "height", "index", "code", "codespace", "log", "gas_wanted", "gas_used", "events", "tx"],
            "properties": {
                "hash": hex_string("Hash (hex, upper case)"),
                "height": u64_schema("Block height"),
                "index": { "type": "integer", "minimum": 0, "description": "Position in the block" },
                "code": { "type": "integer", "minimum": 0, "description": "0 = success" },
                "codespace": { "type": "string", "description": "Module that refused it (empty on success)" },
                "log": { "type": "string", "description": "Error message (empty on success)" },
                "gas_wanted": u64_schema("Gas limit"),
                "gas_used": u64_schema("Gas used"),
                "events": { "type": "array", "items": schema("Event") },
                "tx": { "type": "string", "format": "byte", "description": "The signed transaction, base64" }
            }
        },
        "PublicKey": {
            "type": "object",
            "required": ["algo", "key"],
            "properties": {
                "algo": { "type": "string", "enum": ["ed25519", "p256"] },
                "key": hex_string("Key bytes (hex)")
            }
        },
        "Coin": {
            "type": "object",
            "required": ["denom", "amount"],
            "properties": {
                "denom": { "type": "string" },
                "amount": { "type": "string", "description": "Base units, decimal string" }
            }
        },
        "Account": {
            "type": "object",
            "required": ["address", "nonce", "balances", "height"],
            "properties": {
                "address": address(),
                "public_key": { "allOf": [schema("PublicKey")], "nullable": true, "description": "Set once the account has signed" },
                "nonce": u64_schema("Nonce the next transaction must carry"),
                "balances": { "type": "array", "items": schema("Coin") },
                "height": u64_schema("Height of the state read")
            }
        },
        "Denom": {
            "type": "object",
            "required": ["denom", "symbol", "decimals", "kyc_only", "supply"],
            "properties": {
                "denom": { "type": "string" },
                "issuer": { "allOf": [address()], "nullable": true },
                "symbol": { "type": "string" },
                "decimals": { "type": "integer", "minimum": 0, "maximum": 255 },
                "kyc_only": { "type": "boolean" },
                "supply": { "type": "string", "description": "Total supply, base units, decimal string" }
            }
        },
        "Validator": {
            "type": "object",
            "required": ["address", "public_key", "voting_power"],
            "properties": {
                "address": address(),
                "public_key": hex_string("Consensus key (ed25519, hex)"),
                "voting_power": u64_schema("Voting power")
            }
        },
        "Proof": {
            "type": "object",
            "description": "A value (or its absence) with a Merkle proof against the app hash of a committed height. A light client must also check that app hash against a header signed by the validators.",
            "required": ["key", "height", "app_hash", "proof"],
            "properties": {
                "key": hex_string("The key (hex)"),
                "value": { "type": "string", "nullable": true, "description": "The value (hex), null if absent" },
                "height": u64_schema("Height whose state was read"),
                "app_hash": hex_string("That height's app hash (hex)"),
                "proof": hex_string("Borsh encoding of the Jellyfish Merkle proof (hex)")
            }
        },
        "SubmitRequest": {
            "type": "object",
            "required": ["tx"],
            "properties": {
                "tx": { "type": "string", "format": "byte", "description": "The signed transaction, base64" }
            }
        },
        "Submit": {
            "type": "object",
            "required": ["hash", "admitted"],
            "properties": {
                "hash": hex_string("Transaction hash (hex, upper case)"),
                "admitted": { "type": "boolean", "description": "Always true in a 2xx response" },
                "result": { "allOf": [schema("Tx")], "nullable": true, "description": "With `?wait=commit`: the execution result" }
            }
        },
        "NodeEvent": {
            "description": "One WebSocket text frame.",
            "oneOf": [
                {
                    "type": "object",
                    "required": ["type", "height", "hash", "time", "num_txs"],
                    "properties": {
                        "type": { "type": "string", "enum": ["new_block"] },
                        "height": u64_schema("Height"),
                        "hash": hex_string("Block hash (hex)"),
                        "time": u64_schema("Block time (ms)"),
                        "num_txs": { "type": "integer", "minimum": 0 }
                    }
                },
                {
                    "type": "object",
                    "required": ["type", "height", "tx_hash", "event"],
                    "properties": {
                        "type": { "type": "string", "enum": ["tx_event"] },
                        "height": u64_schema("Height"),
                        "tx_hash": hex_string("Transaction hash (hex, upper case)"),
                        "event": schema("Event")
                    }
                },
                {
                    "type": "object",
                    "description": "An event of a block's begin- or end-of-block hooks (no transaction); filtered like `tx_event`",
                    "required": ["type", "height", "event"],
                    "properties": {
                        "type": { "type": "string", "enum": ["block_event"] },
                        "height": u64_schema("Height"),
                        "event": schema("Event")
                    }
                },
                {
                    "type": "object",
                    "required": ["type", "missed"],
                    "properties": {
                        "type": { "type": "string", "enum": ["lagged"] },
                        "missed": { "type": "integer", "minimum": 1, "description": "Messages skipped because the subscriber fell behind" }
                    }
                }
            ]
        }
    })
}

/// The OpenAPI 3.0 document.
pub fn document() -> Value {
    let bad_request = error("Malformed request (`api#1`)");
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Fructus node API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "REST + JSON API of a Fructus node. Every error is JSON `{code, codespace, message}` with a 4xx/5xx status. Codes of codespace `api`: 1 bad request, 2 not found / no route, 3 bad base64, 4 not committed within the wait timeout, 5 method not allowed, 6 body too large, 7 bad height, 8 bad transaction hash, 9 bad address, 10 bad hex key, 11 internal error, 12 not a WebSocket upgrade."
        },
        "paths": {
            "/v1/status": { "get": {
                "summary": "Node and chain status",
                "operationId": "status",
                "responses": { "200": ok("Status", schema("Status")) }
            }},
            "/v1/blocks/{height}": { "get": {
                "summary": "A committed block",
                "operationId": "block",
                "parameters": [path_param("height", "Decimal height or `latest`", Some("^([0-9]+|latest)$"))],
                "responses": {
                    "200": ok("The block", schema("Block")),
                    "400": error("Bad height (`api#7`)"),
                    "404": error("No block at that height")
                }
            }},
            "/v1/txs": { "post": {
                "summary": "Submit a signed transaction",
                "operationId": "submitTx",
                "parameters": [query_param("wait", "`commit`: answer once the transaction is in a committed block (bounded by the server's wait timeout)", json!({ "type": "string", "enum": ["none", "commit"] }))],
                "requestBody": { "required": true, "content": { "application/json": { "schema": schema("SubmitRequest") } } },
                "responses": {
                    "200": ok("Admitted (and with `wait=commit`, executed)", schema("Submit")),
                    "400": error("Body not JSON / missing `tx` (`api#1`) or `tx` not base64 (`api#3`)"),
                    "413": error("Body larger than the limit (`api#6`)"),
                    "422": error("Refused by the node (codespace of the refusing part, e.g. `tx`)"),
                    "429": error("Mempool full"),
                    "504": error("Not committed within the wait timeout (`api#4`)")
                }
            }},
            "/v1/txs/batch": { "post": {
                "summary": "Submit up to 2000 signed transactions at once (checked in parallel)",
                "description": "Body `{\"txs\": [\"<base64>\", ...]}`, in order (a sender's consecutive nonces may share a batch). Answers 200 with one verdict per transaction: `{hash, admitted, error?}`; `error` carries the same codes `POST /v1/txs` answers with. Never waits for commit: poll `GET /v1/txs/{hash}`.",
                "operationId": "submitTxBatch",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["txs"], "properties": { "txs": { "type": "array", "maxItems": 2000, "items": { "type": "string", "format": "byte" } } } } } } },
                "responses": {
                    "200": ok("One verdict per transaction", json!({ "type": "object", "properties": { "admitted": { "type": "integer" }, "refused": { "type": "integer" }, "results": { "type": "array", "items": { "type": "object" } } } })),
                    "400": error("Body not JSON / missing `txs` / too many (`api#1`)"),
                    "413": error("Body larger than the limit (`api#6`)"),
                    "504": error("Not admitted within the wait timeout (`api#4`)")
                }
            }},
            "/v1/txs/{hash}": { "get": {
                "summary": "A committed transaction",
                "operationId": "tx",
                "parameters": [path_param("hash", "SHA-256 of the signed transaction, 64 hex characters", Some("^[0-9A-Fa-f]{64}$"))],
                "responses": {
                    "200": ok("The transaction and its result", schema("Tx")),
                    "400": error("Bad hash (`api#8`)"),
                    "404": error("Unknown transaction")
                }
            }},
            "/v1/accounts/{address}": { "get": {
                "summary": "An account (a missing account has nonce 0, no key, no balances)",
                "operationId": "account",
                "parameters": [path_param("address", "bech32 address `fx1…`", None)],
                "responses": {
                    "200": ok("The account", schema("Account")),
                    "400": error("Bad address (`api#9`)")
                }
            }},
            "/v1/denoms": { "get": {
                "summary": "Registered denoms, in name order",
                "operationId": "denoms",
                "parameters": [
                    query_param("start_after", "Return denoms after this one (exclusive)", json!({ "type": "string" })),
                    query_param("limit", "Page size (default 100, clamped to 1..1000)", json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 }))
                ],
                "responses": {
                    "200": ok("A page of denoms", json!({ "type": "array", "items": schema("Denom") })),
                    "400": bad_request.clone()
                }
            }},
            "/v1/denoms/{denom}": { "get": {
                "summary": "One denom (the name may contain `/`, e.g. `share/12`)",
                "operationId": "denom",
                "parameters": [path_param("denom", "The denom; `/` is allowed", None)],
                "responses": {
                    "200": ok("The denom", schema("Denom")),
                    "404": error("Unknown denom")
                }
            }},
            "/v1/accounts/{address}/assets": { "get": {
                "summary": "Asset NFTs owned by an account",
                "operationId": "accountAssets",
                "parameters": [
                    path_param("address", "Bech32 address (`fx1…`)", None),
                    query_param("start_after", "Return assets after this id", json!({ "type": "integer" })),
                    query_param("limit", "Page size (default 100, at most 1000)", json!({ "type": "integer" }))
                ],
                "responses": { "200": ok("Assets", json!({ "type": "array", "items": { "type": "object" } })), "400": error("Bad address (`api#9`)") }
            }},
            "/v1/assets/{path}": { "get": {
                "summary": "Asset classes, assets, share holders and income",
                "description": "Sub-paths: `classes/{class_id}` (a class), `classes/{class_id}/assets` (its assets, paginated with `start_after`/`limit`), `{asset_id}` (an asset NFT), `{asset_id}/holders` (share holders and balances, paginated with `start_after` = address), `{asset_id}/income` (income totals per denom), `{asset_id}/pending/{address}` (income a holder can claim).",
                "operationId": "assets",
                "parameters": [
                    path_param("path", "The sub-path (see the description)", None),
                    query_param("start_after", "Pagination cursor", json!({ "type": "string" })),
                    query_param("limit", "Page size (default 100, at most 1000)", json!({ "type": "integer" }))
                ],
                "responses": { "200": ok("The requested asset data", json!({ "type": "object" })), "404": error("Unknown class, asset or route") }
            }},
            "/v1/devices/{path}": { "get": {
                "summary": "Metering devices, their assets' oracles and oracle rounds",
                "description": "Sub-paths: `{address}` (a device: asset, key, status, last sequence and counter), `asset/{asset_id}` (every device the asset had, paginated with `start_after` = address), `oracles/{asset_id}` (the asset's oracle set), `oracles/{asset_id}/rounds/{period}` (an oracle round: submissions, accepted counter, outliers).",
                "operationId": "devices",
                "parameters": [
                    path_param("path", "The sub-path (see the description)", None),
                    query_param("start_after", "Pagination cursor", json!({ "type": "string" })),
                    query_param("limit", "Page size (default 100, at most 1000)", json!({ "type": "integer" }))
                ],
                "responses": { "200": ok("The requested device data", json!({ "type": "object" })), "404": error("Unknown device, round or route") }
            }},
            "/v1/contracts/{path}": { "get": {
                "summary": "Pay-per-use service contracts",
                "description": "Sub-paths: `{contract_id}` (terms, status, charged/collected/owed, splits paid, SLA penalties and rebates), `asset/{asset_id}` (the asset's contracts), `customer/{address}` (a customer's contracts); lists are paginated with `start_after` = contract id.",
                "operationId": "contracts",
                "parameters": [
                    path_param("path", "The sub-path (see the description)", None),
                    query_param("start_after", "Pagination cursor (a contract id)", json!({ "type": "integer" })),
                    query_param("limit", "Page size (default 100, at most 1000)", json!({ "type": "integer" }))
                ],
                "responses": { "200": ok("The requested contract data", json!({ "type": "object" })), "404": error("Unknown contract or route") }
            }},
            "/v1/identity/accounts/{address}": { "get": {
                "summary": "An account's identity: tier, KYC attestations with their status, freeze",
                "operationId": "identityAccount",
                "parameters": [path_param("address", "Bech32 address (`fx1…`)", None)],
                "responses": { "200": ok("The account's identity", json!({ "type": "object" })), "400": error("Bad address (`api#9`)") }
            }},
            "/v1/identity/accounts/{address}/records": { "get": {
                "summary": "Regulator-only records about an account (ciphertext and plaintext hash only)",
                "operationId": "identityRecordsOf",
                "parameters": [
                    path_param("address", "Bech32 address (`fx1…`)", None),
                    query_param("start_after", "Return records after this id", json!({ "type": "integer" })),
                    query_param("limit", "Page size (default 100, at most 1000)", json!({ "type": "integer" }))
                ],
                "responses": { "200": ok("Records", json!({ "type": "array", "items": { "type": "object" } })), "400": error("Bad address (`api#9`)") }
            }},
            "/v1/identity/regulators": { "get": {
                "summary": "The regulators and the X25519 keys regulator-only records are sealed to",
                "operationId": "identityRegulators",
                "responses": { "200": ok("Regulators (`encryption_key` is hex, or null until registered)", json!({ "type": "array", "items": { "type": "object" } })) }
            }},
            "/v1/identity/records/{id}": { "get": {
                "summary": "One regulator-only record: kind, subject, ciphertext, wrapped keys, plaintext SHA-256",
                "operationId": "identityRecord",
                "parameters": [path_param("id", "The record id", Some("^[0-9]+$"))],
                "responses": { "200": ok("The record", json!({ "type": "object" })), "400": error("Id not a number"), "404": error("No such record") }
            }},
            "/v1/staking/validators": { "get": {
                "summary": "Every validator: operator, consensus key, tokens, commission, status (active, inactive, jailed, tombstoned) and voting power for the next height",
                "operationId": "stakingValidators",
                "responses": { "200": ok("Validators", json!({ "type": "array", "items": { "type": "object" } })) }
            }},
            "/v1/staking/validators/{address}": { "get": {
                "summary": "One validator, by operator address",
                "operationId": "stakingValidator",
                "parameters": [path_param("address", "Operator address (`fx1…`)", None)],
                "responses": { "200": ok("The validator", json!({ "type": "object" })), "400": error("Bad address (`api#9`)"), "404": error("No such validator") }
            }},
            "/v1/staking/delegations/{address}": { "get": {
                "summary": "An account's delegations: shares, their value in ufrx and pending rewards",
                "operationId": "stakingDelegations",
                "parameters": [path_param("address", "Delegator address (`fx1…`)", None)],
                "responses": { "200": ok("Delegations", json!({ "type": "array", "items": { "type": "object" } })), "400": error("Bad address (`api#9`)") }
            }},
            "/v1/staking/rewards/{address}": { "get": {
                "summary": "An account's pending rewards per delegation, their total, and the commission owed to it as an operator",
                "operationId": "stakingRewards",
                "parameters": [path_param("address", "Account address (`fx1…`)", None)],
                "responses": { "200": ok("Pending rewards", json!({ "type": "object" })), "400": error("Bad address (`api#9`)") }
            }},
            "/v1/staking/unbonding/{address}": { "get": {
                "summary": "An account's unbonding entries and the heights they complete at",
                "operationId": "stakingUnbonding",
                "parameters": [path_param("address", "Delegator address (`fx1…`)", None)],
                "responses": { "200": ok("Unbonding entries", json!({ "type": "array", "items": { "type": "object" } })), "400": error("Bad address (`api#9`)") }
            }},
            "/v1/staking/params": { "get": {
                "summary": "The staking parameters",
                "operationId": "stakingParams",
                "responses": { "200": ok("Parameters", json!({ "type": "object" })) }
            }},
            "/v1/validators": { "get": {
                "summary": "The current validator set",
                "operationId": "validators",
                "responses": { "200": ok("Validators", json!({ "type": "array", "items": schema("Validator") })) }
            }},
            "/v1/proofs/{key}": { "get": {
                "summary": "A state value (or its absence) with a Merkle proof at the latest height",
                "operationId": "proof",
                "parameters": [path_param("key", "The state key, hex", Some("^([0-9A-Fa-f]{2})+$"))],
                "responses": {
                    "200": ok("Value and proof", schema("Proof")),
                    "400": error("Key not hex (`api#10`)")
                }
            }},
            "/v1/subscribe": { "get": {
                "summary": "WebSocket: committed blocks and transaction events",
                "description": "Upgrade to a WebSocket; each message is a JSON text frame (`NodeEvent`). `types`, `account` and `asset` filter `tx_event` and `block_event` messages only. A subscriber that falls behind gets `{\"type\":\"lagged\",\"missed\":N}`. The server closes with 1001 on shutdown.",
                "operationId": "subscribe",
                "parameters": [
                    query_param("types", "Comma-separated event kinds, exact (`bank.transfer`) or prefix (`bank.*`)", json!({ "type": "string" })),
                    query_param("account", "Only events with an attribute equal to this address", json!({ "type": "string" })),
                    query_param("asset", "Only events whose `asset` or `asset_id` attribute equals this", json!({ "type": "string" })),
                    query_param("blocks", "Send `new_block` messages (default true)", json!({ "type": "boolean", "default": true }))
                ],
                "responses": {
                    "101": ok("Switching to the WebSocket protocol; messages follow", schema("NodeEvent")),
                    "400": error("Bad filter (`api#1`, `api#9`) or not a WebSocket upgrade (`api#12`)"),
                    "503": error("Subscription cap reached, in total or for the caller's IP address (`api#13`)")
                }
            }},
            "/metrics": { "get": {
                "summary": "Prometheus metrics",
                "operationId": "metrics",
                "responses": { "200": {
                    "description": "Prometheus text exposition format 0.0.4",
                    "content": { "text/plain": { "schema": { "type": "string" } } }
                }}
            }},
            "/openapi.json": { "get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": { "200": {
                    "description": "OpenAPI 3.0 document",
                    "content": { "application/json": { "schema": { "type": "object" } } }
                }}
            }}
        },
        "components": {
            "schemas": schemas(),
            "responses": {
                "NotFound": error("No route (`api#2`)"),
                "MethodNotAllowed": error("Wrong method (`api#5`)"),
                "BadRequest": bad_request
            }
        }
    })
}
