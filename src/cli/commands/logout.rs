//! `cpmctl logout`: removes a profile's saved secret, and with `--forget` the profile itself.

use crate::cli::context::{Ctx, store_choice};
use crate::cli::error::CliError;
use crate::config::{self, ConfigFile, CredentialStoreKind};
use crate::credentials;

/// Remove the saved secret of a profile (the active one, or --profile NAME).
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  cpmctl logout
  cpmctl logout --profile work --forget")]
pub struct LogoutArgs {
    /// Also remove the profile from config.toml
    #[arg(long)]
    pub forget: bool,
}

pub async fn run(ctx: &mut Ctx, args: LogoutArgs) -> Result<(), CliError> {
    let settings = ctx.settings()?;
    let name = settings.profile.clone();
    let config_path = ctx.paths()?.config_file();
    let mut file = ConfigFile::load(&config_path)?;
    let Some(profile) = file.profiles.get(&name).cloned() else {
        return Err(config::Error::UnknownProfile(name).into());
    };
    let account = config::account(&name, profile.user.as_deref());
    let kind = profile.credential_store.unwrap_or_default();
    let stores = ctx.stores()?;
    let store = stores.for_choice(store_choice(kind));
    let removed = credentials::delete(store, &account).await.map_err(|e| {
        let hint = e.hint();
        let mut err = CliError::from(e).context(format!("cannot remove the secret of profile `{name}`"));
        err.hints.clear();
        if let Some(h) = hint {
            err = err.hint(h);
        }
        err
    })?;
    let place = match kind {
        CredentialStoreKind::Keyring => "the OS keyring".to_string(),
        CredentialStoreKind::File => ctx.paths()?.credentials_file().display().to_string(),
    };
    if removed {
        ctx.out.status(format!("removed the secret of profile `{name}` from {place}"));
    } else {
        ctx.out.status(format!("no secret of profile `{name}` in {place}"));
    }
    if args.forget {
        file.profiles.remove(&name);
        if file.default_profile.as_deref() == Some(name.as_str()) {
            file.default_profile = None;
        }
        file.save(&config_path)?;
        ctx.out.status(format!("removed profile `{name}` from {}", config_path.display()));
    }
    for var in [config::env::PASSWORD, config::env::TOKEN] {
        if ctx.env.get(var).is_some() {
            ctx.out.warn(format!("{var} is still set in the environment"));
        }
    }
    Ok(())
}
