//! In-process protocol tests: the server driven through its `LspService` with JSON-RPC
//! messages, as an editor would, every feature's answer snapshotted.

use std::time::Duration;

use aslc_lsp::{service, ClientSocket, LspService};
use futures::StreamExt;
use serde_json::{json, Value};
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::Request;

struct Client {
    service: LspService<aslc_lsp::Backend>,
    socket: ClientSocket,
    next_id: i64,
}

const ROOT: &str = "file:///project/fixtures";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/{name}")).expect("fixture exists")
}

/// The 0-based line and UTF-16 column of the `nth` occurrence of `needle`, plus `delta`
/// characters.
fn pos(text: &str, needle: &str, nth: usize, delta: usize) -> Value {
    let offset = text.match_indices(needle).nth(nth).expect("needle occurs").0 + delta;
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

impl Client {
    async fn start() -> Client {
        let (service, socket) = service();
        let mut client = Client { service, socket, next_id: 1 };
        client
            .request(
                "initialize",
                json!({ "capabilities": {}, "initializationOptions": { "rulesUrl": "file:///rules/{code}.md" } }),
            )
            .await;
        client.notify("initialized", json!({})).await;
        client
    }

    async fn request(&mut self, method: &'static str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let request = Request::build(method).params(params).id(id).finish();
        let response =
            self.service.ready().await.expect("ready").call(request).await.expect("no transport error");
        let response = serde_json::to_value(response.expect("a response")).expect("serializable");
        match response.get("result") {
            Some(result) => result.clone(),
            None => json!({ "error": response["error"]["message"] }),
        }
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        let request = Request::build(method).params(params).finish();
        self.service.ready().await.expect("ready").call(request).await.expect("no transport error");
    }

    async fn open(&mut self, name: &str, language_id: &str) -> (String, String) {
        let text = fixture(name);
        let uri = format!("{ROOT}/{name}");
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language_id, "version": 1, "text": text } }),
        )
        .await;
        (uri, text)
    }

    /// The next diagnostics the server publishes.
    async fn diagnostics(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(20), self.socket.next())
                .await
                .expect("diagnostics within 20 s")
                .expect("socket open");
            let message = serde_json::to_value(message).expect("serializable");
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
        }
    }

    async fn at(&mut self, method: &'static str, uri: &str, position: Value) -> Value {
        self.request(method, json!({ "textDocument": { "uri": uri }, "position": position })).await
    }
}

/// Diagnostics as `line:col code severity message`, one per line.
fn summary(diagnostics: &Value) -> String {
    let mut out = String::new();
    for d in diagnostics["diagnostics"].as_array().expect("array") {
        out.push_str(&format!(
            "{}:{} {} sev{} {} <{}>\n",
            d["range"]["start"]["line"],
            d["range"]["start"]["character"],
            d["code"].as_str().unwrap_or("?"),
            d["severity"],
            d["message"].as_str().unwrap_or("").replace('\n', " | "),
            d["codeDescription"]["href"].as_str().unwrap_or("")
        ));
    }
    out
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|a| a.iter().map(|i| i["label"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

fn hover_text(hover: &Value) -> String {
    hover["contents"]["value"].as_str().unwrap_or("<none>").to_string()
}

#[tokio::test]
async fn json_definition() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("order.asl.json", "json").await;
    insta::assert_snapshot!("json_diagnostics", summary(&client.diagnostics().await));

    let mut hovers = String::new();
    for (needle, nth, delta) in [
        ("\"Route\"", 1, 2),
        ("\"Route\"", 0, 2),
        ("\"Resource\"", 0, 2),
        ("\"Parallel\"", 0, 2),
        ("States.TaskFailed", 0, 3),
        ("States.Format", 0, 8),
        ("\"Choice\"", 0, 1),
        ("BooleanEquals", 0, 2),
    ] {
        let hover = client.at("textDocument/hover", &uri, pos(&text, needle, nth, delta)).await;
        hovers.push_str(&format!("## {needle} #{nth}\n{}\n\n", hover_text(&hover)));
    }
    insta::assert_snapshot!("json_hovers", hovers);

    let definition =
        client.at("textDocument/definition", &uri, pos(&text, "\"Next\": \"Failed\"", 0, 11)).await;
    insta::assert_json_snapshot!("json_definition", definition);
    let references = client
        .request(
            "textDocument/references",
            json!({ "textDocument": { "uri": uri }, "position": pos(&text, "\"Done\"", 1, 2), "context": { "includeDeclaration": true } }),
        )
        .await;
    insta::assert_json_snapshot!("json_references", references);

    let rename = |name: &str| json!({ "textDocument": { "uri": uri }, "position": pos(&text, "\"Route\"", 1, 2), "newName": name });
    let renamed = client.request("textDocument/rename", rename("Dispatch")).await;
    insta::assert_json_snapshot!("json_rename", renamed);
    let taken = client.request("textDocument/rename", rename("Inner")).await;
    let empty = client.request("textDocument/rename", rename("")).await;
    insta::assert_json_snapshot!("json_rename_refused", json!([taken, empty]));
    let prepared = client.at("textDocument/prepareRename", &uri, pos(&text, "\"Route\"", 0, 3)).await;
    insta::assert_json_snapshot!("json_prepare_rename", prepared);

    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    insta::assert_json_snapshot!("json_symbols", symbols);
    let folding =
        client.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri } })).await;
    insta::assert_json_snapshot!("json_folding", folding);
    let formatted = client
        .request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
        .await;
    insta::assert_snapshot!("json_formatting", formatted[0]["newText"].as_str().unwrap_or("<none>"));
}

#[tokio::test]
async fn json_completion() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("order.asl.json", "json").await;
    client.diagnostics().await;
    let mut out = String::new();
    for (name, needle, delta) in [
        ("next value", "\"Next\": \"Route\"", 9),
        ("branch next value", "\"Next\": \"Finish\"", 9),
        ("error names", "\"States.TaskFailed\"", 1),
        ("intrinsic", "States.Format", 7),
        ("resource", "arn:aws:states:::lambda", 0),
        ("type", "\"Parallel\"", 1),
    ] {
        let items = client.at("textDocument/completion", &uri, pos(&text, needle, 0, delta)).await;
        out.push_str(&format!("## {name}\n{}\n\n", labels(&items).join(", ")));
    }
    // A key being typed in a state (the text is not valid JSON meanwhile).
    let typed = text.replacen("\"Next\": \"Route\"", "\"Next\": \"Route\", \"Ti\"", 1);
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [ { "text": typed } ] }),
        )
        .await;
    let items = client.at("textDocument/completion", &uri, pos(&typed, "\"Ti\"", 0, 3)).await;
    out.push_str(&format!("## task keys\n{}\n\n", labels(&items).join(", ")));
    let edit = items
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "TimeoutSeconds"))
        .map(|i| i["textEdit"].clone());
    out.push_str(&format!("## TimeoutSeconds edit\n{}\n\n", edit.unwrap_or_default()));
    let new_state = text.replacen("\"validation failed\" }", "\"validation failed\" }, \"\"", 1);
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [ { "text": new_state } ] }),
        )
        .await;
    let items = client.at("textDocument/completion", &uri, pos(&new_state, "}, \"\"", 0, 4)).await;
    out.push_str(&format!("## new state snippets\n{}\n\n", labels(&items).join(", ")));
    let task = items
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "Choice state"))
        .map(|i| i["textEdit"]["newText"].clone());
    out.push_str(&format!("## Choice snippet\n{}\n\n", task.unwrap_or_default()));
    let rule = text.replacen("\"BooleanEquals\": true,", "\"Bo\"", 1);
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [ { "text": rule } ] }),
        )
        .await;
    let items = client.at("textDocument/completion", &uri, pos(&rule, "\"Bo\"", 0, 3)).await;
    out.push_str(&format!("## choice rule keys\n{}\n\n", labels(&items).join(", ")));
    let context = text.replacen("\"validate\"", "\"$$.\"", 1);
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": [ { "text": context } ] }),
        )
        .await;
    let items = client.at("textDocument/completion", &uri, pos(&context, "$$.", 0, 3)).await;
    out.push_str(&format!("## context paths\n{}\n", labels(&items).join(", ")));
    insta::assert_snapshot!("json_completion", out);
}

#[tokio::test]
async fn incremental_edits_publish_new_diagnostics() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("order.asl.json", "json").await;
    client.diagnostics().await;
    // Point `Route`'s rule at a state that does not exist, with a ranged edit.
    let start = pos(&text, "\"Next\": \"Fanout\"", 0, 9);
    let end = pos(&text, "\"Next\": \"Fanout\"", 0, 15);
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 },
                    "contentChanges": [ { "range": { "start": start, "end": end }, "text": "Nowhere" } ] }),
        )
        .await;
    let published = client.diagnostics().await;
    assert_eq!(published["version"], 2);
    insta::assert_snapshot!("incremental_diagnostics", summary(&published));
}

#[tokio::test]
async fn edited_documents_publish_what_a_fresh_open_publishes() {
    let mut client = Client::start().await;
    let (uri, mut text) = client.open("order.asl.json", "json").await;
    client.diagnostics().await;
    // Each edit falls inside one state, so the server re-reads only that state's object;
    // the last one breaks the JSON, and the one after it must read the whole text again.
    let edits = [
        ("\"Next\": \"Fanout\"", 9, 6, "Nowhere"),
        ("\"Type\": \"Choice\"", 9, 0, "X"),
        ("\"Nowhere\"", 1, 7, "Fanout"),
        ("\"Type\": \"XChoice\"", 9, 1, ""),
        ("\"Next\": \"Fanout\"", 0, 0, "{ "),
        ("{ \"Next\": \"Fanout\"", 0, 2, ""),
    ];
    for (version, (needle, delta, len, insert)) in (2..).zip(edits) {
        let start = pos(&text, needle, 0, delta);
        let end = pos(&text, needle, 0, delta + len);
        let at = text.find(needle).expect("needle occurs") + delta;
        text.replace_range(at..at + len, insert);
        client
            .notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version },
                        "contentChanges": [ { "range": { "start": start, "end": end }, "text": insert } ] }),
            )
            .await;
        let edited = client.diagnostics().await;
        let fresh_uri = format!("{ROOT}/fresh{version}.asl.json");
        client
            .notify(
                "textDocument/didOpen",
                json!({ "textDocument": { "uri": fresh_uri, "languageId": "json", "version": 1, "text": text } }),
            )
            .await;
        let fresh = client.diagnostics().await;
        assert_eq!(edited["version"], version);
        // Related information names the document: compare as if both had the same name.
        let fresh = fresh["diagnostics"].to_string().replace(&fresh_uri, &uri);
        assert_eq!(edited["diagnostics"].to_string(), fresh, "after edit {version}");
    }
}

#[tokio::test]
async fn json_code_actions() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("order.asl.json", "json").await;
    let diagnostics = client.diagnostics().await;
    let mut out = Vec::new();
    for code in ["C-NO-DEFAULT", "R-RETRY-LAMBDA"] {
        let diagnostic = diagnostics["diagnostics"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["code"] == code))
            .cloned()
            .expect("diagnostic reported");
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri }, "range": diagnostic["range"], "context": { "diagnostics": [diagnostic] } }),
            )
            .await;
        out.push(actions);
    }
    let _ = text;
    insta::assert_json_snapshot!("json_code_actions", out);
}

#[tokio::test]
async fn yaml_definition() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("order.asl.yaml", "yaml").await;
    insta::assert_snapshot!("yaml_diagnostics", summary(&client.diagnostics().await));
    let hover = client.at("textDocument/hover", &uri, pos(&text, "Next: Route", 0, 7)).await;
    let definition = client.at("textDocument/definition", &uri, pos(&text, "Next: Failed", 0, 7)).await;
    let renamed = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": pos(&text, "Done", 0, 1), "newName": "Finished" }),
        )
        .await;
    let refused = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": pos(&text, "Done", 0, 1), "newName": "a: b" }),
        )
        .await;
    let next = client.at("textDocument/completion", &uri, pos(&text, "Next: Route", 0, 8)).await;
    let keys = {
        let typed = text.replacen("    Next: Route\n", "    Next: Route\n    Tim\n", 1);
        client
            .notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [ { "text": typed } ] }),
            )
            .await;
        client.at("textDocument/completion", &uri, pos(&typed, "    Tim", 0, 7)).await
    };
    let actions = {
        client
            .notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [ { "text": text } ] }),
            )
            .await;
        client
            .request(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri }, "range": { "start": pos(&text, "Route:", 0, 0), "end": pos(&text, "Route:", 0, 5) }, "context": { "diagnostics": [] } }),
            )
            .await
    };
    insta::assert_json_snapshot!(
        "yaml_features",
        json!({
            "hover": hover_text(&hover),
            "definition": definition,
            "rename": renamed,
            "refused": refused,
            "next": labels(&next),
            "keys": labels(&keys),
            "actions": actions,
        })
    );
}

#[tokio::test]
async fn template_state_machines() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("template.yaml", "yaml").await;
    insta::assert_snapshot!("template_diagnostics", summary(&client.diagnostics().await));
    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    let definition = client.at("textDocument/definition", &uri, pos(&text, "Next: Notify", 0, 7)).await;
    let hover = client.at("textDocument/hover", &uri, pos(&text, "Seconds", 0, 2)).await;
    insta::assert_json_snapshot!(
        "template_features",
        json!({ "symbols": symbols, "definition": definition, "hover": hover_text(&hover) })
    );
}

#[tokio::test]
async fn dsl_document() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("order.asld", "asld").await;
    insta::assert_snapshot!("dsl_diagnostics", summary(&client.diagnostics().await));
    let hover = client.at("textDocument/hover", &uri, pos(&text, "goto Failed", 0, 6)).await;
    let keyword = client.at("textDocument/hover", &uri, pos(&text, "task Charge", 0, 1)).await;
    let definition = client.at("textDocument/definition", &uri, pos(&text, "goto Failed", 0, 6)).await;
    let renamed = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": pos(&text, "goto Failed", 0, 6), "newName": "Rejected" }),
        )
        .await;
    let goto = client.at("textDocument/completion", &uri, pos(&text, "goto Failed", 0, 5)).await;
    let tokens =
        client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } })).await;
    let formatted = client
        .request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
        .await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "context": { "diagnostics": [] } }),
        )
        .await;
    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    let folding =
        client.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri } })).await;
    insta::assert_json_snapshot!(
        "dsl_features",
        json!({
            "hover": hover_text(&hover),
            "keyword": hover_text(&keyword),
            "definition": definition,
            "rename": renamed,
            "goto": labels(&goto),
            "tokens": tokens["data"].as_array().map(Vec::len),
            "tokens_head": tokens["data"].as_array().map(|a| a.iter().take(30).cloned().collect::<Vec<_>>()),
            "formatting": formatted,
            "actions": actions,
            "symbols": symbols,
            "folding": folding,
        })
    );
}

/// Every request at every position of every fixture gets an answer (no panic, no hang),
/// including positions inside half-typed text.
#[tokio::test]
async fn every_position_answers() {
    let mut client = Client::start().await;
    for (name, language) in [
        ("order.asl.json", "json"),
        ("order.asl.yaml", "yaml"),
        ("template.yaml", "yaml"),
        ("order.asld", "asld"),
    ] {
        let (uri, text) = client.open(name, language).await;
        client.diagnostics().await;
        for (version, cut) in [(1, text.len()), (2, text.len() / 2)] {
            let current = &text[..cut];
            if version > 1 {
                client
                    .notify(
                        "textDocument/didChange",
                        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [ { "text": current } ] }),
                    )
                    .await;
            }
            for (line, line_text) in current.split('\n').enumerate() {
                for character in 0..=line_text.chars().count() + 1 {
                    let position = json!({ "line": line, "character": character });
                    for method in [
                        "textDocument/hover",
                        "textDocument/completion",
                        "textDocument/definition",
                        "textDocument/prepareRename",
                    ] {
                        let answer = client.at(method, &uri, position.clone()).await;
                        assert!(
                            answer.get("error").is_none() || method == "textDocument/prepareRename",
                            "{method} at {position} of {name}: {answer}"
                        );
                    }
                }
            }
            client
                .request(
                    "textDocument/codeAction",
                    json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 999, "character": 0 } }, "context": { "diagnostics": [] } }),
                )
                .await;
        }
    }
}

#[tokio::test]
async fn definition_strings_of_templates() {
    let mut client = Client::start().await;
    let (uri, text) = client.open("definition-string.yaml", "yaml").await;
    let diagnostics = client.diagnostics().await;
    let definition =
        client.at("textDocument/definition", &uri, pos(&text, "\"Next\": \"Second\"", 0, 10)).await;
    let hover = client.at("textDocument/hover", &uri, pos(&text, "\"Second\"", 0, 2)).await;
    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    let rename = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": pos(&text, "\"Second\"", 0, 2), "newName": "Last" }),
        )
        .await;
    insta::assert_json_snapshot!(
        "definition_string",
        json!({ "diagnostics": summary(&diagnostics), "definition": definition, "hover": hover_text(&hover), "symbols": symbols, "rename": rename })
    );
}
