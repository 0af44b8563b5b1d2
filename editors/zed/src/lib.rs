//! Zed extension that starts `asyncmig serve` for Python buffers. Zed only runs language
//! servers that an extension registers; this one adds nothing but the command, so the binary
//! and its options stay in the user's settings (`lsp.asyncmig`).
use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Asyncmig;

impl zed::Extension for Asyncmig {
    fn new() -> Self {
        Asyncmig
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree("asyncmig", worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let configured = binary.as_ref().and_then(|b| b.path.clone());
        let command = match configured {
            Some(path) if path != "asyncmig" => path,
            _ => worktree.which("asyncmig").ok_or_else(|| {
                "asyncmig not found on PATH: install it (go install \
                 github.com/asyncmig/asyncmig/cmd/asyncmig@latest) or set lsp.asyncmig.binary.path"
                    .to_string()
            })?,
        };
        let args = binary
            .and_then(|b| b.arguments)
            .unwrap_or_else(|| vec!["serve".to_string()]);
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree("asyncmig", worktree)
            .ok()
            .and_then(|settings| settings.initialization_options))
    }
}

zed::register_extension!(Asyncmig);
