//! Bridges to the NMS client until the CLI foundation provides them (`Ctx::client`,
//! `From<nms::Error> for CliError`); an inherent `Ctx::client` takes precedence over this trait.

use std::time::Duration;

use crate::cli::context::Ctx;
use crate::cli::error::{CliError, ErrorKind};
use crate::credentials::Credential;
use crate::nms::{self, Auth, ClientConfig, NmsClient};

/// `ctx.client()`: the NMS client of the active profile.
pub trait CtxClient {
    fn client(&mut self) -> impl std::future::Future<Output = Result<NmsClient, CliError>> + Send;
}

impl CtxClient for Ctx {
    async fn client(&mut self) -> Result<NmsClient, CliError> {
        let target = self.target().await?;
        let auth = match &target.credential {
            Some(Credential::Basic { user, password }) => {
                Auth::Basic { user: user.clone(), password: password.expose().to_string() }
            }
            Some(Credential::Bearer(t)) => Auth::Bearer(t.expose().to_string()),
            None => Auth::None,
        };
        let mut cfg = ClientConfig::from_base_url(&target.nms_base, auth)
            .map_err(|e| CliError::usage(format!("bad server URL {}: {e}", target.nms_base)))?;
        cfg.retries = target.settings.retries;
        if let Some(ms) = std::env::var("CPMCTL_BACKOFF_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
            cfg.backoff_base = Duration::from_millis(ms);
        }
        NmsClient::new(cfg).map_err(|e| CliError::failure(format!("cannot set up the HTTP client: {e}")))
    }
}

impl From<nms::Error> for CliError {
    fn from(e: nms::Error) -> Self {
        let kind = match &e {
            _ if e.is_auth() => ErrorKind::Auth,
            _ if e.is_not_found() => ErrorKind::NotFound,
            _ if e.is_network() => ErrorKind::Network,
            nms::Error::Invalid(_) => ErrorKind::Usage,
            _ => ErrorKind::Failure,
        };
        let mut err = CliError::new(kind, e.to_string());
        match kind {
            ErrorKind::Auth => {
                err = err.hint("check the user and password (CPMCTL_USER / CPMCTL_PASSWORD) or run `cpmctl login`")
            }
            ErrorKind::Network => err = err.hint("is the server running and reachable? (--server, CPMCTL_SERVER)"),
            _ => {}
        }
        err
    }
}
