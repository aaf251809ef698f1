//! From paths on the command line to checked definitions: reading files (and stdin),
//! telling definitions from templates, and running the checker on each state machine.

use std::path::{Path, PathBuf};

use aslc_ir::{CheckOptions, WorkflowType};
use aslc_render::SourceFiles;
use aslc_source::{Diagnostic, FileId};
use aslc_syntax::Node;

/// How a file's text is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Syntax {
    Json,
    Yaml,
    /// The `.asld` workflow language.
    Dsl,
}

/// What a run checks and how.
pub struct Options {
    /// `--workflow-type`, overriding a template's type.
    pub workflow_type: Option<WorkflowType>,
    /// Which lints run and how severe each rule is.
    pub lint: aslc_lints::LintConfig,
    /// Render each input's diagnostics for the JSON report as soon as it is checked, on
    /// the thread that checked it (see [`Report::json_pieces`]).
    pub render_json: bool,
}

/// Checks one definition tree: the spec rules, then the lints, then the configured
/// selection and severities.
fn check_definition(
    node: &Node,
    file: FileId,
    workflow_type: WorkflowType,
    source_chars: Option<usize>,
    options: &Options,
) -> Vec<Diagnostic> {
    let check_options = CheckOptions { workflow_type, source_chars };
    aslc_lints::check(node, file, &check_options, &options.lint)
}

/// The result of checking every input.
pub struct Report {
    pub sources: SourceFiles,
    /// Every input's diagnostics, inputs in order; the renderers sort them.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of state machines checked.
    pub machines: usize,
    /// Definition files checked on their own, by path: a template's `DefinitionUri` naming
    /// one of them replaces that check with one that knows the substitutions.
    standalone: Vec<(PathBuf, FileId)>,
    /// Files read through a template's `DefinitionUri`.
    uri_files: Vec<PathBuf>,
    /// With [`Options::render_json`], the JSON report's items, one piece per input file in
    /// input order (`aslc_render::render_json_items`): the report is then only joined on
    /// the main thread. `None` when the pieces no longer match `diagnostics`.
    pub json_pieces: Option<Vec<String>>,
}

impl Report {
    fn new() -> Report {
        Report {
            sources: SourceFiles::new(),
            diagnostics: Vec::new(),
            machines: 0,
            standalone: Vec::new(),
            uri_files: Vec::new(),
            json_pieces: Some(Vec::new()),
        }
    }

    /// Appends the report of another input, renumbering its files after this one's.
    fn absorb(&mut self, other: Report) {
        let offset = self.sources.append(other.sources).0;
        let shift = |id: FileId| FileId(id.0 + offset);
        for mut diagnostic in other.diagnostics {
            diagnostic.primary.file = shift(diagnostic.primary.file);
            for label in &mut diagnostic.secondary {
                label.file = shift(label.file);
            }
            self.diagnostics.push(diagnostic);
        }
        self.machines += other.machines;
        self.standalone.extend(other.standalone.into_iter().map(|(p, id)| (p, shift(id))));
        self.uri_files.extend(other.uri_files);
        match (&mut self.json_pieces, other.json_pieces) {
            (Some(pieces), Some(more)) => pieces.extend(more),
            (pieces, _) => *pieces = None,
        }
    }

    /// A definition file checked on its own and again through a template's
    /// `DefinitionUri` keeps only the template's check, which knows the substitutions.
    fn drop_checks_superseded_by_templates(&mut self) {
        if self.uri_files.is_empty() {
            return;
        }
        // Paths are compared canonically, and only here: resolving every path up front
        // costs a system call per file.
        let uris: Vec<PathBuf> = self.uri_files.iter().filter_map(|p| p.canonicalize().ok()).collect();
        let superseded: Vec<FileId> = self
            .standalone
            .iter()
            .filter(|(p, _)| p.canonicalize().is_ok_and(|c| uris.contains(&c)))
            .map(|(_, id)| *id)
            .collect();
        if !superseded.is_empty() {
            self.diagnostics.retain(|d| !superseded.contains(&d.primary.file));
            self.json_pieces = None;
        }
        self.machines -= superseded.len();
    }
}

/// Whether `path`'s name marks it as ASL whatever its content (`*.asl.json`, `*.asl.yaml`).
fn is_asl_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".asl.json")
        || lower.ends_with(".asl.yaml")
        || lower.ends_with(".asl.yml")
        || lower.ends_with(".asld")
}

/// The syntax a file's extension implies, if it is one aslc reads.
pub fn syntax_of(path: &Path) -> Option<Syntax> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("json") => Some(Syntax::Json),
        Some("yaml" | "yml" | "template") => Some(Syntax::Yaml),
        Some("asld") => Some(Syntax::Dsl),
        _ => None,
    }
}

/// How many paths [`collect`] looks at before the run. Each look is a `stat`, a few
/// microseconds; a longer list (a shell glob, a file list from a script) goes to the
/// workers as it is, and a worker that opens a directory walks it there.
const LOOKED_AT_UP_FRONT: usize = 16;

/// Collects the files to check: files as given, directories walked for ASL definitions
/// and templates (other JSON/YAML files in a walked directory are skipped when they hold
/// no state machine).
///
/// A path that does not exist is an error of kind `NotFound` naming it; past
/// [`LOOKED_AT_UP_FRONT`] paths, [`run`] reports it instead, with the same message.
pub fn collect(paths: &[PathBuf]) -> std::io::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || paths.len() > LOOKED_AT_UP_FRONT {
            out.push((path.clone(), true));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut out)?,
            Ok(_) => out.push((path.clone(), true)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(std::io::Error::new(err.kind(), does_not_exist(path)));
            }
            // Unreadable paths are reported when they are read, with the rest of the run.
            Err(_) => out.push((path.clone(), true)),
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, bool)>) -> std::io::Result<()> {
    // The entry's file type comes with the directory listing: no `stat` per file. Entries
    // of one directory differ only in their names, so sorting the names sorts the paths.
    let mut entries: Vec<(std::ffi::OsString, bool)> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| {
            let is_dir = match e.file_type() {
                Ok(t) if t.is_symlink() => e.path().is_dir(),
                Ok(t) => t.is_dir(),
                Err(_) => false,
            };
            (e.file_name(), is_dir)
        })
        .collect();
    entries.sort_unstable();
    for (name, is_dir) in entries {
        let text = name.to_str().unwrap_or("");
        if text.starts_with('.') || text == "node_modules" || text == "target" {
            continue;
        }
        let path = dir.join(&name);
        if is_dir {
            walk(&path, out)?;
        } else if syntax_of(&path).is_some() {
            // Explicit ASL names are always checked; other JSON/YAML only if they hold a
            // state machine.
            let explicit = is_asl_name(&path);
            out.push((path, explicit));
        }
    }
    Ok(())
}

/// The message for a path given on the command line that does not exist.
fn does_not_exist(path: &Path) -> String {
    format!("`{}` does not exist", path.display())
}

/// Why an input could not be checked; the run stops with the first such failure.
struct Unusable {
    /// The path does not exist: reported ahead of other failures, as [`collect`] would.
    missing: bool,
    message: String,
}

/// Reads and checks every input, on one thread more than there are cores; the report is
/// the same as a sequential run's.
pub fn run(
    inputs: &[(PathBuf, bool)],
    stdin_name: Option<&str>,
    options: &Options,
) -> Result<Report, String> {
    let stdin = if inputs.iter().any(|(p, _)| p.as_os_str() == "-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Some(bytes)
    } else {
        None
    };
    let stdin = Stdin { bytes: stdin.as_deref(), name: stdin_name };
    // One worker more than there are cores: a read that misses the page cache blocks its
    // thread, and the extra one keeps the cores busy meanwhile (on a 2-core machine whose
    // cache keeps little of the corpus, 3 workers checked it 9% faster than 2).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = (cores + 1).min(inputs.len() / 8).max(1);
    let mut results: Vec<Option<Result<Report, Unusable>>> = (0..inputs.len()).map(|_| None).collect();
    if threads == 1 {
        for (slot, input) in results.iter_mut().zip(inputs) {
            *slot = Some(check_input(input, &stdin, options));
        }
    } else {
        // Workers, the calling thread among them, take the next input from a shared
        // counter, so one slow file does not hold up a whole share.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let done = std::sync::Mutex::new(&mut results);
        let work = || loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(input) = inputs.get(i) else { break };
            let result = check_input(input, &stdin, options);
            // A poisoned lock means another worker panicked; its panic is re-raised when
            // the scope ends, so this result can be dropped.
            if let Ok(mut slots) = done.lock() {
                slots[i] = Some(result);
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..threads {
                scope.spawn(work);
            }
            work();
        });
    }
    let results: Vec<Result<Report, Unusable>> = results.into_iter().flatten().collect();
    if let Some(Err(missing)) = results.iter().find(|r| r.as_ref().is_err_and(|e| e.missing)) {
        return Err(missing.message.clone());
    }
    let mut report = Report::new();
    // Room for every diagnostic up front: growing the list while absorbing copies it
    // several times, on the main thread.
    report.diagnostics.reserve(results.iter().flatten().map(|r| r.diagnostics.len()).sum());
    for result in results {
        report.absorb(result.map_err(|e| e.message)?);
    }
    report.drop_checks_superseded_by_templates();
    // The diagnostics stay in input order: every renderer sorts what it writes.
    Ok(report)
}

/// Standard input, read once before the run when an input is `-`.
struct Stdin<'a> {
    bytes: Option<&'a [u8]>,
    /// `--stdin-filename`.
    name: Option<&'a str>,
}

/// The length of a definition's text in characters, for the size limit
/// (`R-LIM-DEF-SIZE`); `None`, which skips the limit, when the text has no more bytes than
/// the limit allows characters (it has no more characters than bytes), so that only a
/// text that may be too long is counted.
fn chars_for_size_limit(text: &str) -> Option<usize> {
    (text.len() > aslc_ir::MAX_DEFINITION_CHARS).then(|| text.chars().count())
}

/// Reads and checks one input; a directory is walked and its files checked in order.
fn check_input(
    (path, explicit): &(PathBuf, bool),
    stdin: &Stdin,
    options: &Options,
) -> Result<Report, Unusable> {
    let (name, bytes, syntax) = if path.as_os_str() == "-" {
        let bytes = stdin.bytes.unwrap_or_default().to_vec();
        let name = stdin.name.unwrap_or("<stdin>").to_string();
        let syntax = stdin.name.map(Path::new).and_then(syntax_of).unwrap_or_else(|| sniff(&bytes));
        (name, bytes, syntax)
    } else {
        let bytes = match read_file(path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return check_directory(path, stdin, options),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(Unusable { missing: true, message: does_not_exist(path) })
            }
            Err(err) => {
                return Err(Unusable {
                    missing: false,
                    message: format!("cannot read `{}`: {err}", path.display()),
                })
            }
        };
        let syntax = syntax_of(path).unwrap_or_else(|| sniff(&bytes));
        // `display` replaces what is not UTF-8; the (usual) UTF-8 path is taken as it is.
        let name = path.to_str().map_or_else(|| path.display().to_string(), str::to_owned);
        (name, bytes, syntax)
    };
    let mut report = Report::new();
    check_file(&mut report, path, name, bytes, syntax, *explicit, options);
    if options.render_json {
        // Rendered here, in parallel, rather than on the main thread once every input is
        // checked. A report's diagnostics all sort after those of the inputs before it
        // (its files are numbered after theirs), so the pieces join in input order.
        let mut piece = String::new();
        aslc_render::render_json_items(&report.diagnostics, &report.sources, &mut piece);
        report.json_pieces = Some(vec![piece]);
    } else {
        report.json_pieces = None;
        if !report.diagnostics.is_empty() {
            // Line indexes are built on demand; build them here, in parallel, rather than
            // on the main thread while the report is written.
            for file in report.diagnostics.iter().map(|d| d.primary.file) {
                if let Some(source) = report.sources.get(file) {
                    source.line_index();
                }
            }
        }
    }
    Ok(report)
}

/// Checks the files of a directory given among many paths, which [`collect`] did not look
/// at; the result is what walking it up front would have given.
fn check_directory(dir: &Path, stdin: &Stdin, options: &Options) -> Result<Report, Unusable> {
    let mut inputs = Vec::new();
    walk(dir, &mut inputs).map_err(|err| Unusable {
        missing: false,
        message: format!("cannot read `{}`: {err}", dir.display()),
    })?;
    let mut report = Report::new();
    for input in &inputs {
        report.absorb(check_input(input, stdin, options)?);
    }
    Ok(report)
}

/// The bytes of the file at `path`, usually in one `read`: the size is known from the open
/// file, and a regular file answers a read short of the request only at its end. `None`
/// when `path` is a directory.
fn read_file(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Ok(None);
    }
    if !metadata.is_file() {
        // A pipe (`aslc check <(…)`, `/dev/stdin`) or a device: its size says nothing, and
        // a read comes back short whenever the writer has not written more yet.
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        return Ok(Some(bytes));
    }
    let size = usize::try_from(metadata.len()).unwrap_or(0);
    // One byte more than the size, so that a file that has not changed is read completely
    // by a read that comes back short.
    let mut bytes = vec![0; size.saturating_add(1)];
    let mut filled = 0;
    loop {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                if filled < bytes.len() {
                    break;
                }
                // The file grew since it was measured.
                bytes.resize(bytes.len() * 2, 0);
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    bytes.truncate(filled);
    Ok(Some(bytes))
}

/// A file's bytes as the text its diagnostics point into. Valid UTF-8 (nearly every file)
/// becomes the text without a copy; otherwise the text is the lossy decoding, and the
/// original bytes come back too, for the reader to point at the invalid ones.
pub fn source_text(bytes: Vec<u8>) -> (String, Option<Vec<u8>>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let bytes = err.into_bytes();
            (String::from_utf8_lossy(&bytes).into_owned(), Some(bytes))
        }
    }
}

/// JSON if the first significant byte opens an object or array, YAML otherwise.
pub fn sniff(bytes: &[u8]) -> Syntax {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

pub fn parse(bytes: &[u8], syntax: Syntax, file: FileId) -> (Option<Node>, Vec<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_text(text, syntax, file),
        // The JSON reader reports the first bad byte with its offset.
        Err(_) => (None, aslc_syntax::json::parse_bytes(bytes, file).diagnostics),
    }
}

/// [`parse`] for text already known to be UTF-8, which is not checked again.
pub fn parse_text(text: &str, syntax: Syntax, file: FileId) -> (Option<Node>, Vec<Diagnostic>) {
    match syntax {
        Syntax::Dsl => {
            let compiled = aslc_dsl::compile(text, file);
            (compiled.node, compiled.diagnostics)
        }
        Syntax::Json => {
            let parsed = aslc_syntax::json::parse(text, file);
            (parsed.node, parsed.diagnostics)
        }
        Syntax::Yaml => {
            let parsed = aslc_syntax::yaml::parse(text, file);
            (parsed.node, parsed.diagnostics)
        }
    }
}

/// Adds a file's bytes to `sources` as its text ([`source_text`]) and reads its tree: from
/// the text, checked as UTF-8 when it was made, or from the bytes when they are not UTF-8.
fn add_and_parse(
    sources: &mut SourceFiles,
    name: String,
    bytes: Vec<u8>,
    syntax: Syntax,
) -> (FileId, Option<Node>, Vec<Diagnostic>) {
    let (text, invalid) = source_text(bytes);
    let file = sources.add(name, text);
    let (node, diagnostics) = match &invalid {
        Some(bytes) => parse(bytes, syntax, file),
        None => parse_text(sources.get(file).map_or("", |f| f.text()), syntax, file),
    };
    (file, node, diagnostics)
}

fn check_file(
    report: &mut Report,
    path: &Path,
    name: String,
    bytes: Vec<u8>,
    syntax: Syntax,
    explicit: bool,
    options: &Options,
) {
    let dir = path.parent();
    let (file, node, mut diagnostics) = add_and_parse(&mut report.sources, name, bytes, syntax);
    if syntax == Syntax::Json {
        if let Some(source) = report.sources.get(file) {
            aws_syntax_locations(source.text(), &mut diagnostics);
        }
    }
    let Some(node) = node else {
        if explicit || diagnostics.iter().all(|d| !d.is_error()) {
            report.diagnostics.extend(diagnostics);
        }
        return;
    };
    if syntax != Syntax::Dsl && aslc_syntax::cfn::is_template(&node) {
        check_template(report, &node, file, dir, options, diagnostics);
        return;
    }
    if !explicit && (node.get("States").is_none() || node.get("StartAt").is_none()) {
        // A JSON/YAML file met while walking a directory that is not a state machine.
        return;
    }
    report.diagnostics.append(&mut diagnostics);
    let workflow_type = options.workflow_type.unwrap_or(options.lint.workflow_type);
    let chars = report.sources.get(file).and_then(|f| chars_for_size_limit(f.text()));
    report.diagnostics.extend(check_definition(&node, file, workflow_type, chars, options));
    report.machines += 1;
    report.standalone.push((path.to_path_buf(), file));
}

fn check_template(
    report: &mut Report,
    root: &Node,
    file: FileId,
    dir: Option<&Path>,
    options: &Options,
    mut syntax_diagnostics: Vec<Diagnostic>,
) {
    let text = report.sources.get(file).map(|f| f.text().to_string()).unwrap_or_default();
    let template = aslc_syntax::cfn::extract(root, &text, file);
    // A duplicate key elsewhere in the template is CloudFormation's business (its YAML
    // reader keeps the last value); inside a state machine it is an error like any other.
    let inline: Vec<aslc_source::TextRange> = template
        .state_machines
        .iter()
        .filter_map(|m| match &m.definition {
            aslc_syntax::cfn::DefinitionSource::Inline(node) => Some(node.range),
            _ => None,
        })
        .collect();
    for diagnostic in &mut syntax_diagnostics {
        let range = diagnostic.primary.range;
        let in_definition = inline.iter().any(|r| r.start() <= range.start() && range.end() <= r.end());
        if diagnostic.code == aslc_syntax::S_JSON_DUPKEY && !in_definition {
            diagnostic.severity = aslc_source::Severity::Warning;
            diagnostic.notes.push(
                "outside state machine definitions aslc only warns: CloudFormation keeps the last value"
                    .into(),
            );
        }
    }
    report.diagnostics.append(&mut syntax_diagnostics);
    report.diagnostics.extend(template.diagnostics);
    for machine in template.state_machines {
        let workflow_type = options.workflow_type.unwrap_or(match machine.workflow_type {
            Some(aslc_syntax::cfn::WorkflowType::Express) => WorkflowType::Express,
            _ => WorkflowType::Standard,
        });
        match machine.definition {
            aslc_syntax::cfn::DefinitionSource::Inline(node) => {
                report.diagnostics.extend(check_definition(&node, file, workflow_type, None, options));
                report.machines += 1;
            }
            aslc_syntax::cfn::DefinitionSource::Uri(uri, range) => {
                let path = dir.unwrap_or(Path::new(".")).join(&uri);
                let Ok(bytes) = std::fs::read(&path) else {
                    report.diagnostics.push(
                        Diagnostic::warning(
                            aslc_syntax::cfn::CFN_DEFINITION_URI,
                            file,
                            range,
                            format!("cannot read `DefinitionUri` file `{uri}`"),
                        )
                        .with_label("this file was not found next to the template")
                        .with_help(
                            "check the path (it is relative to the template's folder and case-sensitive)",
                        ),
                    );
                    continue;
                };
                let syntax = syntax_of(&path).unwrap_or_else(|| sniff(&bytes));
                report.uri_files.push(path.clone());
                let (uri_file, node, diagnostics) =
                    add_and_parse(&mut report.sources, path.display().to_string(), bytes, syntax);
                report.diagnostics.extend(diagnostics);
                if let Some(node) = node {
                    let node = aslc_syntax::cfn::substitute(&node, &machine.substitutions);
                    let chars = report.sources.get(uri_file).and_then(|f| chars_for_size_limit(f.text()));
                    report.diagnostics.extend(check_definition(
                        &node,
                        uri_file,
                        workflow_type,
                        chars,
                        options,
                    ));
                    report.machines += 1;
                }
            }
            aslc_syntax::cfn::DefinitionSource::NotLocal(_) => {}
        }
    }
}

/// Gives JSON syntax errors the location AWS's validator reports for them: its JSON
/// reader's `[Source: (String)"…"; line: L, column: C]`, with the column just after the
/// offending token and the text cut at 500 characters.
fn aws_syntax_locations(text: &str, diagnostics: &mut [Diagnostic]) {
    const SHOWN: usize = 500;
    let mut index = None;
    for diagnostic in diagnostics.iter_mut() {
        if diagnostic.code != aslc_syntax::S_JSON_SYNTAX || !diagnostic.location.is_empty() {
            continue;
        }
        let index = index.get_or_insert_with(|| aslc_source::LineIndex::new(text));
        let end = index.line_col(text, diagnostic.primary.range.end());
        let total = text.chars().count();
        let shown: String = text.chars().take(SHOWN).collect();
        let truncated =
            if total > SHOWN { format!("[truncated {} chars]", total - SHOWN) } else { String::new() };
        diagnostic.location =
            format!("[Source: (String)\"{shown}\"{truncated}; line: {}, column: {}]", end.line, end.column);
    }
}
