//! The action's post step: revokes the installation tokens the main step
//! minted and could not revoke (a cancelled job).

use std::io::Write;

use crate::action::Exit;
use crate::action::env::{Env, InputError};
use crate::action::report::{Reporter, with_reporter};
use crate::action::runner_files;
use crate::action::signal::stop_signal;
use crate::auth::mint;
use crate::github::Client;
use crate::github::net::{proxy, tls};
use crate::secret::Token;

/// The action's post step (`post-entrypoint: /revoke`): revokes the tokens
/// the main step minted and left in `STATE_dispatch_tokens` because it could
/// not revoke them (a cancelled job). Never fails the job: returns 0, with a
/// warning for a token that could not be revoked.
#[must_use]
pub fn revoke(env: &Env, stdout: Box<dyn Write + Send>, stderr: Box<dyn Write + Send>) -> u8 {
    with_reporter(env, stdout, stderr, false, |report| {
        post_step(env, report);
        Exit::Success
    })
}

/// Revokes what the state lists, saying how it went through `report`.
fn post_step(env: &Env, report: &mut Reporter) {
    let state = runner_files::saved_state(env, mint::STATE).unwrap_or_default();
    let tokens = mint::left_for_post(state);
    if tokens.minted.is_empty() {
        return;
    }
    for minted in &tokens.minted {
        report.mask(minted.token.expose());
    }
    let prepared = (|| {
        let api = match env.get("GITHUB_API_URL").map(str::trim) {
            None | Some("") => crate::github::repo::ApiBase::DEFAULT,
            Some(u) => u,
        };
        // The main step checked this URL (plain http included) before it
        // minted anything.
        let api =
            crate::github::repo::ApiBase::parse(api, true, crate::action::voice::Voice::Workflow)
                .map_err(|e| InputError::new("GITHUB_API_URL", e))?;
        let tls = tls::client_config(env)?;
        let route = proxy::choose(env, api.as_str())?;
        let clock = env.clock()?;
        Ok::<_, InputError>((api, tls, route, clock))
    })();
    let (api, tls, route, clock) = match prepared {
        Ok(p) => p,
        Err(e) => {
            report.warning(&format!(
                "the tokens left by the main step could not be revoked ({}); they expire by themselves within the hour",
                e.message
            ));
            return;
        }
    };
    let new_client = |token: Token| Client::new(tls.clone(), Some(token), clock, route.clone());
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => {
            // All at once, within REVOKE_WITHIN, or REVOKE_AFTER_STOP of a
            // stop: a cancelled job's post step must not hang either.
            let revocation = runtime.block_on(async {
                let stop = std::pin::pin!(stop_signal());
                mint::revoke_all(
                    &tokens,
                    &api,
                    &new_client,
                    clock,
                    mint::Stop::Awaited(stop),
                    report,
                )
                .await
            });
            let said = revocation.said("left to expire within the hour");
            let n = tokens.minted.len();
            let tokens = if n == 1 { "token" } else { "tokens" };
            let line = format!("the main step left {n} installation {tokens}: {said}");
            if revocation.left.is_empty() {
                report.info(&line);
            } else {
                report.warning(&line);
            }
        }
        Err(e) => report.warning(&format!(
            "could not start the async runtime to revoke the tokens left by the main step ({e}); they expire by themselves within the hour"
        )),
    }
}
