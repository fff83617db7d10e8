//! Keys: an access key and its secret, as a request is signed with them
//! (SigV4) and as ddsp's sandbox checks them; and the sandbox's documented
//! default pair, which the sandbox accepts and the clients it starts sign with.
//! Here, below both, so the client need not link the sandbox to know them.

/// An access key and its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub access_key: String,
    pub secret_key: String,
}

/// The access key the sandbox accepts by default (not a real AWS key: it is
/// printed in the README and by `ddsp sandbox`).
pub const SANDBOX_ACCESS_KEY: &str = "AKIADDSPSANDBOX00001";
/// Its secret.
pub const SANDBOX_SECRET_KEY: &str = "ddsp-sandbox-secret-access-key";

impl Keys {
    /// The sandbox's default pair.
    pub fn sandbox() -> Keys {
        Keys { access_key: SANDBOX_ACCESS_KEY.to_owned(), secret_key: SANDBOX_SECRET_KEY.to_owned() }
    }
}
