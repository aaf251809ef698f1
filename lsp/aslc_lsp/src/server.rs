//! The `LanguageServer` implementation: open documents, debounced checking, and one
//! handler per request, each reading the latest analysis of its document.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use aslc_lints::LintConfig;
use aslc_source::{Severity, TextRange};
use rustc_hash::FxHashMap;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::analysis::{analyze_after, Analysis};
use crate::document::{Language, Snapshot};
use crate::rules::RuleLinks;
use crate::{actions, completion, hover, navigation, semantic};

/// One open document.
struct Doc {
    uri: Uri,
    snapshot: Snapshot,
    /// The analysis of the latest version checked.
    analysis: Option<Arc<Analysis>>,
    /// The latest analysis that found a state machine: completion offers its state names
    /// while the text being typed cannot be read.
    last_good: Option<Arc<Analysis>>,
    /// Bumped on every change; a check publishes only if it is still current.
    generation: u64,
}

/// Settings from `initializationOptions` and `aslc.toml`.
struct Settings {
    lint: LintConfig,
    links: RuleLinks,
    /// How long a change waits for the next before the document is checked.
    debounce: Duration,
}

struct State {
    docs: FxHashMap<String, Doc>,
    settings: Arc<Settings>,
}

/// The language server.
pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A handler that panicked while holding the lock left the map consistent (every
    // update is a single assignment), so the data is still usable.
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn key(uri: &Uri) -> String {
    uri.as_str().to_string()
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Backend {
        let settings =
            Settings { lint: LintConfig::default(), links: RuleLinks::None, debounce: Duration::ZERO };
        Backend {
            client,
            state: Arc::new(Mutex::new(State { docs: FxHashMap::default(), settings: Arc::new(settings) })),
        }
    }

    /// Checks the document after the debounce delay unless another change came first, then
    /// publishes its diagnostics.
    fn schedule(&self, uri: &Uri) {
        let state = self.state.clone();
        let client = self.client.clone();
        let key = key(uri);
        tokio::spawn(async move {
            let (generation, delay) = {
                let state = lock(&state);
                let Some(doc) = state.docs.get(&key) else { return };
                (doc.generation, state.settings.debounce)
            };
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let (snapshot, settings, uri, previous, previous_is_last_good) = {
                let mut state = lock(&state);
                let settings = state.settings.clone();
                let Some(doc) = state.docs.get_mut(&key) else { return };
                if doc.generation != generation {
                    return;
                }
                // The analysis of an older text answers no request any more (requests
                // check its version). Taking it, and `last_good` when that is the same,
                // leaves the check the only owner of its tree, which is then reused in
                // place instead of copied.
                let previous = doc.analysis.take();
                let previous_is_last_good =
                    matches!((&previous, &doc.last_good), (Some(a), Some(b)) if Arc::ptr_eq(a, b));
                if previous_is_last_good {
                    doc.last_good = None;
                }
                (doc.snapshot.clone(), settings, doc.uri.clone(), previous, previous_is_last_good)
            };
            let worker_uri = uri.clone();
            let checked = tokio::task::spawn_blocking(move || {
                let (analysis, previous) = analyze_after(previous, &snapshot, &settings.lint);
                let analysis = Arc::new(analysis);
                let diagnostics = to_lsp_diagnostics(&snapshot, &analysis, &settings.links, &worker_uri);
                (analysis, previous, diagnostics, snapshot.version)
            })
            .await;
            let Ok((analysis, previous, diagnostics, version)) = checked else { return };
            // What the check did not use up of the previous analysis goes back to being
            // the last good one when the new analysis found no machine.
            let fallback = previous.filter(|_| previous_is_last_good);
            let found_machines = !analysis.machines.is_empty();
            // The analyses replaced are dropped after publishing: freeing a large tree
            // takes a while and the client is waiting.
            let replaced = {
                let mut state = lock(&state);
                let Some(doc) = state.docs.get_mut(&key) else { return };
                if doc.generation != generation {
                    // A newer text is being checked: keep this analysis as the starting
                    // point of the next check, not as an answer.
                    if doc.last_good.is_none() {
                        doc.last_good = if found_machines { Some(analysis.clone()) } else { fallback };
                    }
                    doc.analysis.get_or_insert(analysis);
                    return;
                }
                let last_good = if found_machines {
                    doc.last_good.replace(analysis.clone())
                } else {
                    if doc.last_good.is_none() {
                        doc.last_good = fallback;
                    }
                    None
                };
                (doc.analysis.replace(analysis), last_good)
            };
            client.publish_diagnostics(uri, diagnostics, Some(version)).await;
            drop(replaced);
        });
    }

    /// The current snapshot and its analysis (checked now if the debounced check has not
    /// run yet), and the last analysis that found a machine.
    async fn current(
        &self,
        uri: &Uri,
    ) -> Option<(Snapshot, Arc<Analysis>, Option<Arc<Analysis>>, Arc<Settings>)> {
        let key = key(uri);
        let (snapshot, settings, generation, previous) = {
            let state = lock(&self.state);
            let doc = state.docs.get(&key)?;
            if let Some(analysis) = doc.analysis.as_ref().filter(|a| a.version == doc.snapshot.version) {
                return Some((
                    doc.snapshot.clone(),
                    analysis.clone(),
                    doc.last_good.clone(),
                    state.settings.clone(),
                ));
            }
            (doc.snapshot.clone(), state.settings.clone(), doc.generation, doc.analysis.clone())
        };
        let worker = snapshot.clone();
        let lint = settings.clone();
        let analysis =
            tokio::task::spawn_blocking(move || Arc::new(analyze_after(previous, &worker, &lint.lint).0))
                .await
                .ok()?;
        let mut state = lock(&self.state);
        let doc = state.docs.get_mut(&key)?;
        if doc.generation == generation {
            if !analysis.machines.is_empty() {
                doc.last_good = Some(analysis.clone());
            }
            doc.analysis = Some(analysis.clone());
        }
        let last_good = doc.last_good.clone();
        Some((snapshot, analysis, last_good, settings))
    }
}

/// The LSP view of a document's diagnostics: codes linked to their rule pages, help as a
/// second line, secondary labels as related information.
pub fn to_lsp_diagnostics(
    snapshot: &Snapshot,
    analysis: &Analysis,
    links: &RuleLinks,
    uri: &Uri,
) -> Vec<Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let related: Vec<DiagnosticRelatedInformation> = d
                .secondary
                .iter()
                .map(|label| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), snapshot.range(label.range)),
                    message: if label.message.is_empty() { "related".into() } else { label.message.clone() },
                })
                .collect();
            Diagnostic {
                range: snapshot.range(d.primary.range),
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Info => DiagnosticSeverity::INFORMATION,
                }),
                code: Some(NumberOrString::String(d.code.to_string())),
                code_description: links
                    .url(d.code)
                    .and_then(|url| Uri::from_str(&url).ok())
                    .map(|href| CodeDescription { href }),
                source: Some("aslc".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Diagnostic::default()
            }
        })
        .collect()
}

/// Reads `initializationOptions` and the workspace's `aslc.toml`.
fn settings(params: &InitializeParams) -> std::result::Result<Settings, String> {
    let options = params.initialization_options.clone().unwrap_or(serde_json::Value::Null);
    let debounce = options.get("debounceMs").and_then(serde_json::Value::as_u64).unwrap_or(0);
    let links = match options.get("rulesUrl").and_then(serde_json::Value::as_str) {
        Some(template) => RuleLinks::Template(template.to_string()),
        None => RuleLinks::default_folder().map_or(RuleLinks::None, RuleLinks::write_pages),
    };
    let root = params.workspace_folders.as_ref().and_then(|folders| folders.first()).map(|f| f.uri.clone());
    #[allow(deprecated)]
    let root = root.or_else(|| params.root_uri.clone());
    let mut lint = LintConfig::default();
    if let Some(path) = root.as_ref().and_then(|uri| uri.as_str().strip_prefix("file://").map(str::to_string))
    {
        let path = std::path::Path::new(&path).join("aslc.toml");
        if let Ok(text) = std::fs::read_to_string(&path) {
            lint = LintConfig::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    if options.get("workflowType").and_then(serde_json::Value::as_str) == Some("express") {
        lint.workflow_type = aslc_ir::WorkflowType::Express;
    }
    Ok(Settings { lint, links, debounce: Duration::from_millis(debounce) })
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), ".".into(), "$".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR_REWRITE]),
            ..CodeActionOptions::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// Runs one feature, turning a panic into an internal error for this request only: a bug
/// in one answer must not take the editor's server down.
fn guarded<T>(feature: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(feature)).map_err(|_| Error::internal_error())
}

fn lsp_edits(snapshot: &Snapshot, edits: Vec<(TextRange, String)>) -> Vec<TextEdit> {
    edits.into_iter().map(|(range, text)| TextEdit::new(snapshot.range(range), text)).collect()
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let settings = settings(&params)
            .map_err(|message| Error { message: message.into(), ..Error::invalid_params("") })?;
        lock(&self.state).settings = Arc::new(settings);
        Ok(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "aslc".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let language = Language::detect(&document.language_id, document.uri.as_str(), &document.text);
        let snapshot = Snapshot::new(document.text.into(), language, document.version);
        let uri = document.uri;
        lock(&self.state).docs.insert(
            key(&uri),
            Doc { uri: uri.clone(), snapshot, analysis: None, last_good: None, generation: 0 },
        );
        self.schedule(&uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = lock(&self.state);
            let Some(doc) = state.docs.get_mut(&key(&uri)) else { return };
            doc.snapshot = doc.snapshot.apply(&params.content_changes, params.text_document.version);
            doc.generation += 1;
        }
        self.schedule(&uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        lock(&self.state).docs.remove(&key(&params.text_document.uri));
        self.client.publish_diagnostics(params.text_document.uri, Vec::new(), None).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let Some((snapshot, analysis, _, settings)) = self.current(&position.text_document.uri).await else {
            return Ok(None);
        };
        let offset = snapshot.offset(position.position);
        Ok(guarded(|| hover::hover(&snapshot, &analysis, offset, &settings.links))?.map(|(value, range)| {
            Hover {
                contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
                range: Some(snapshot.range(range)),
            }
        }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let Some((snapshot, analysis, last_good, _)) = self.current(&position.text_document.uri).await else {
            return Ok(None);
        };
        let offset = snapshot.offset(position.position);
        let source = if analysis.machines.is_empty() { last_good.unwrap_or(analysis) } else { analysis };
        let items = guarded(|| completion::complete(&snapshot, &source, offset))?;
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let Some((snapshot, analysis, _, _)) = self.current(&uri).await else { return Ok(None) };
        let offset = snapshot.offset(position.position);
        Ok(guarded(|| navigation::definition(&analysis, offset))?
            .map(|range| GotoDefinitionResponse::Scalar(Location::new(uri, snapshot.range(range)))))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let Some((snapshot, analysis, _, _)) = self.current(&uri).await else { return Ok(None) };
        let offset = snapshot.offset(position.position);
        let ranges = guarded(|| {
            navigation::references(&snapshot, &analysis, offset, params.context.include_declaration)
        })?;
        Ok(Some(ranges.into_iter().map(|r| Location::new(uri.clone(), snapshot.range(r))).collect()))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((snapshot, analysis, _, _)) = self.current(&params.text_document.uri).await else {
            return Ok(None);
        };
        let offset = snapshot.offset(params.position);
        Ok(guarded(|| navigation::prepare_rename(&analysis, offset))?.map(|(range, placeholder)| {
            PrepareRenameResponse::RangeWithPlaceholder { range: snapshot.range(range), placeholder }
        }))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let Some((snapshot, analysis, _, _)) = self.current(&uri).await else { return Ok(None) };
        let offset = snapshot.offset(position.position);
        match guarded(|| navigation::rename(&snapshot, &analysis, offset, &params.new_name))? {
            Ok(edits) => {
                let changes = HashMap::from([(uri, lsp_edits(&snapshot, edits))]);
                Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
            }
            Err(message) => Err(Error { message: message.into(), ..Error::invalid_params("") }),
        }
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let Some((snapshot, analysis, _, _)) = self.current(&params.text_document.uri).await else {
            return Ok(None);
        };
        #[allow(deprecated)]
        fn convert(snapshot: &Snapshot, symbol: navigation::Symbol) -> DocumentSymbol {
            DocumentSymbol {
                name: symbol.name,
                detail: symbol.detail,
                kind: match symbol.kind {
                    navigation::SymbolKind::Machine => SymbolKind::CLASS,
                    navigation::SymbolKind::State => SymbolKind::OBJECT,
                    navigation::SymbolKind::Scope => SymbolKind::NAMESPACE,
                },
                tags: None,
                deprecated: None,
                range: snapshot.range(symbol.range),
                selection_range: snapshot.range(symbol.selection),
                children: Some(symbol.children.into_iter().map(|c| convert(snapshot, c)).collect()),
            }
        }
        let symbols =
            guarded(|| navigation::symbols(&analysis))?.into_iter().map(|s| convert(&snapshot, s)).collect();
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((snapshot, analysis, _, _)) = self.current(&params.text_document.uri).await else {
            return Ok(None);
        };
        let ranges = guarded(|| navigation::folding(&snapshot, &analysis))?
            .into_iter()
            .map(|(start, end)| FoldingRange {
                start_line: start,
                end_line: end,
                kind: Some(FoldingRangeKind::Region),
                ..FoldingRange::default()
            })
            .collect();
        Ok(Some(ranges))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some((snapshot, analysis, _, _)) = self.current(&params.text_document.uri).await else {
            return Ok(None);
        };
        Ok(guarded(|| actions::format(&snapshot, &analysis))?
            .filter(|text| **text != *snapshot.text)
            .map(|text| vec![TextEdit::new(snapshot.full_range(), text)]))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((snapshot, analysis, _, settings)) = self.current(&uri).await else { return Ok(None) };
        let range = snapshot.text_range(params.range);
        let diagnostics = to_lsp_diagnostics(&snapshot, &analysis, &settings.links, &uri);
        let mut out = Vec::new();
        for action in guarded(|| actions::code_actions(&snapshot, &analysis, range, uri.as_str()))? {
            let diagnostics = action.diagnostic.and_then(|i| diagnostics.get(i).cloned()).map(|d| vec![d]);
            let edit = match action.new_file {
                Some((target, text)) => {
                    let Ok(target) = Uri::from_str(&target) else { continue };
                    WorkspaceEdit {
                        document_changes: Some(DocumentChanges::Operations(vec![
                            DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                                uri: target.clone(),
                                options: Some(CreateFileOptions {
                                    overwrite: Some(true),
                                    ignore_if_exists: None,
                                }),
                                annotation_id: None,
                            })),
                            DocumentChangeOperation::Edit(TextDocumentEdit {
                                text_document: OptionalVersionedTextDocumentIdentifier {
                                    uri: target,
                                    version: None,
                                },
                                edits: vec![OneOf::Left(TextEdit::new(Range::default(), text))],
                            }),
                        ])),
                        ..WorkspaceEdit::default()
                    }
                }
                None => WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), lsp_edits(&snapshot, action.edits))])),
                    ..WorkspaceEdit::default()
                },
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(if action.quick_fix {
                    CodeActionKind::QUICKFIX
                } else {
                    CodeActionKind::REFACTOR_REWRITE
                }),
                diagnostics,
                edit: Some(edit),
                is_preferred: Some(action.quick_fix),
                ..CodeAction::default()
            }));
        }
        Ok(Some(out))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((snapshot, _, _, _)) = self.current(&params.text_document.uri).await else {
            return Ok(None);
        };
        if snapshot.language != Language::Dsl {
            return Ok(None);
        }
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data: guarded(|| semantic::tokens(&snapshot))?,
        })))
    }
}
