//! The aslc language server: diagnostics, hover, completion, navigation, rename, outline,
//! folding, formatting, code actions and DSL semantic tokens for ASL definitions (JSON and
//! YAML), the state machines of CloudFormation/SAM templates, and `.asld` files.
//!
//! ```text
//! client ──JSON-RPC──▶ server (tower-lsp-server) ──▶ Snapshot (text + line index)
//!                                  └─ debounced ─▶ analysis::analyze ──▶ Analysis
//!                                                   (readers, aslc_lints::check, StateIndex)
//! every request ─▶ the latest Analysis ─▶ hover / completion / navigation / actions
//! ```
//! A document is re-checked whole on each change, off the message loop; of a JSON
//! document only the object around the edit is read again ([`analysis`]). A check whose
//! document changed meanwhile publishes nothing. Requests answer from the
//! analysis of the current text, checking it first if the debounced check is pending.
//! Only this crate knows LSP types; positions are UTF-16 as the protocol's default.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod actions;
pub mod analysis;
mod checked;
mod completion;
mod docs;
pub mod document;
mod hover;
mod incremental;
pub mod index;
mod navigation;
pub mod rules;
mod semantic;
mod server;

pub use server::Backend;
pub use tower_lsp_server::{ClientSocket, LspService};

/// The service and its client socket, for tests and other transports.
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::new(Backend::new)
}

/// Serves the language server over standard input and output until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let (service, socket) = service();
        tower_lsp_server::Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    Ok(())
}
