//! Where ddsp's commands and editor connect: ddsp's own sandbox, started in
//! this process on the user's sandbox database (`--sandbox`), or AWS (and
//! `--endpoint-url`) through the client. The one place that both starts a
//! sandbox and builds a client, so `client` does not link the sandbox.

use crate::client::{self, ClientError, ConnectOptions, Connection};
use crate::sandbox::{self, SandboxConfig};

/// The connection `options` ask for. With `sandbox`, a sandbox is started on
/// the user's database (`sandbox::default_db_path`) and stops when the
/// connection is closed; its region is `options.region` or the sandbox's
/// default. Errors: the sandbox could not start (`ClientError::Other`), or
/// the client's own (`client::connect`).
pub async fn connect(options: &ConnectOptions) -> Result<Connection, ClientError> {
    if !options.sandbox {
        return client::connect(options).await;
    }
    let config = SandboxConfig { db: sandbox::default_db_path(), ..SandboxConfig::ephemeral() };
    let running =
        sandbox::serve(config).await.map_err(|e| ClientError::Other(format!("cannot start the sandbox: {e}")))?;
    let region = options.region.clone().unwrap_or_else(|| sandbox::DEFAULT_REGION.to_owned());
    let url = running.url();
    Ok(Connection::owning(&url, &sandbox::default_keys(), &region, running.stop()))
}
