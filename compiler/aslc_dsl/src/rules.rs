//! The `D-` rules of the `.asld` language (dsl.md §11), documented for `aslc explain`.
//!
//! Findings on the lowered ASL keep their own codes (`S-…`, `R-…`) and reach the DSL text
//! through the spans of the lowered tree; only problems that have no ASL meaning are
//! reported here.

use aslc_ir::rules::{Level, Rule};

macro_rules! declare_dsl_rules {
    ($( $(#[doc = $doc:literal])* $ident:ident = $code:literal, $level:ident, $summary:literal; )*) => {
        $(
            #[doc = concat!("Rule `", $code, "`: ", $summary, ".")]
            pub const $ident: &str = $code;
        )*
        const RULES: &[Rule] = &[
            $( Rule {
                code: $code,
                level: Level::$level,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
                aws_code: None,
                spec: "dsl.md",
            }, )*
        ];
    };
}

/// Every `D-` rule, sorted by code.
pub fn all_rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = RULES.iter().collect();
    rules.sort_by_key(|r| r.code);
    rules
}

/// The level of rule `code`, for diagnostics built in this crate.
pub(crate) fn level(code: &str) -> Level {
    RULES.iter().find(|r| r.code == code).map_or(Level::Error, |r| r.level)
}

declare_dsl_rules! {
    /// ## What it does
    /// Reports a token the grammar does not allow where it stands; the message lists what
    /// was expected there.
    ///
    /// ## Why is this bad?
    /// The file cannot be compiled. The parser skips to the next clause or statement, so
    /// the rest of the file is still checked.
    ///
    /// ## Example
    /// ```asld
    /// task Charge lambda.invoke {
    ///   timeout = 30
    /// }
    /// ```
    /// ## Use instead
    /// ```asld
    /// task Charge lambda.invoke {
    ///   timeout 30
    /// }
    /// ```
    D_SYNTAX = "D-SYNTAX", Error, "the text follows the grammar of the DSL";
    /// ## What it does
    /// Reports an unclosed string, `{%`, path bracket, intrinsic call or block comment, at
    /// its opening.
    ///
    /// ## Why is this bad?
    /// The rest of the file would be read as part of the unclosed text, so nothing after it can be compiled.
    ///
    /// ## Example
    /// ```asld
    /// fail Oops error "Broken
    /// ```
    /// ## Use instead
    /// ```asld
    /// fail Oops error "Broken"
    /// ```
    D_UNTERMINATED = "D-UNTERMINATED", Error, "strings, `{% %}`, brackets, intrinsics and comments are closed";
    /// ## What it does
    /// Reports a hard keyword (`end`, `state`, `if`, …) where a name is expected.
    ///
    /// ## Why is this bad?
    /// A keyword in a name position makes the statement ambiguous; the parser cannot tell a name from the start of a clause.
    ///
    /// ## Example
    /// ```asld
    /// succeed end
    /// ```
    /// ## Use instead
    /// Quote the name:
    /// ```asld
    /// succeed "end"
    /// ```
    D_KEYWORD_NAME = "D-KEYWORD-NAME", Error, "a name is not a hard keyword";
    /// ## What it does
    /// Reports a construct in the wrong place: `goto`/`end` after `succeed`, `fail` or
    /// `choice`; a second `if` in a choice; a state clause after a rule; a header line after
    /// the first policy or state.
    ///
    /// ## Why is this bad?
    /// A clause outside its place has no meaning in the ASL it would produce (a `catch` on a state that cannot fail, a branch outside `parallel`).
    ///
    /// ## Example
    /// ```asld
    /// choice Route {
    ///   if $.a == 1 goto A
    ///   if $.b == 2 goto B
    /// }
    /// ```
    /// ## Use instead
    /// ```asld
    /// choice Route {
    ///   if $.a == 1 goto A
    ///   else if $.b == 2 goto B
    /// }
    /// ```
    D_PLACEMENT = "D-PLACEMENT", Error, "every construct stands where the grammar places it";
    /// ## What it does
    /// Reports a path or intrinsic call as an array element.
    ///
    /// ## Why is this bad?
    /// ASL evaluates only object members whose key ends in `.$`; an array element would be
    /// a plain string.
    ///
    /// ## Example
    /// ```asld
    /// pass P { args { ids: [$.a, $.b] } }
    /// ```
    /// ## Use instead
    /// ```asld
    /// pass P { args { ids: States.Array($.a, $.b) } }
    /// ```
    D_PATH_IN_ARRAY = "D-PATH-IN-ARRAY", Error, "no path or intrinsic is an array element";
    /// ## What it does
    /// Reports a path or intrinsic as the whole value of a clause that has no path form.
    ///
    /// ## Why is this bad?
    /// A bare path elsewhere would be sent as a literal string, which is rarely what was meant.
    ///
    /// ## Example
    /// ```asld
    /// task T lambda.invoke { args $.payload }
    /// ```
    /// ## Use instead
    /// ```asld
    /// task T lambda.invoke { input $.payload }
    /// ```
    D_PATH_ALONE = "D-PATH-ALONE", Error, "a bare path is the value only of clauses with a path form";
    /// ## What it does
    /// Reports a path, intrinsic or comparison in a JSONata state, or a `{% %}` expression
    /// in a JSONPath state.
    ///
    /// ## Why is this bad?
    /// JSONPath and JSONata states have different fields; the other language's syntax cannot be lowered to this state.
    ///
    /// ## Example
    /// ```asld
    /// query jsonata
    /// pass P { output { a: $.x } }
    /// ```
    /// ## Use instead
    /// ```asld
    /// query jsonata
    /// pass P { output { a: {% $states.input.x %} } }
    /// ```
    D_QL_MISMATCH = "D-QL-MISMATCH", Error, "each state uses the syntax of its query language";
    /// ## What it does
    /// Reports a comparison with no ASL operator: two paths compared without a type word,
    /// `== null`, `<`/`>` on booleans, or `matches` without a string literal.
    ///
    /// ## Why is this bad?
    /// Choice comparisons are typed in ASL (`StringEquals`, `NumericLessThan`, …); a comparison whose operand type is unknown has no operator to lower to.
    ///
    /// ## Example
    /// ```asld
    /// if $.a == $.b goto Same
    /// ```
    /// ## Use instead
    /// ```asld
    /// if string $.a == $.b goto Same
    /// ```
    D_CMP_TYPE = "D-CMP-TYPE", Error, "every comparison maps to an ASL operator";
    /// ## What it does
    /// Reports a choice without `else` that ends its sequence.
    ///
    /// ## Why is this bad?
    /// With no `else`, a choice's `Default` is the next state; at the end of a sequence
    /// there is none, and a choice cannot end a run.
    ///
    /// ## Example
    /// ```asld
    /// choice Last {
    ///   if $.ok == true goto Done
    /// }
    /// ```
    /// ## Use instead
    /// ```asld
    /// choice Last {
    ///   if $.ok == true goto Done
    ///   else goto Retry
    /// }
    /// ```
    D_CHOICE_END = "D-CHOICE-END", Error, "a choice without `else` does not end a sequence";
    /// ## What it does
    /// Reports an empty `if`, `else` or `catch` block.
    ///
    /// ## Why is this bad?
    /// An empty block would lower to a branch or handler with no states, which AWS rejects.
    ///
    /// ## Example
    /// ```asld
    /// catch States.ALL { }
    /// ```
    /// ## Use instead
    /// ```asld
    /// catch States.ALL { fail Broken }
    /// ```
    D_EMPTY_BLOCK = "D-EMPTY-BLOCK", Error, "inline blocks hold at least one state";
    /// ## What it does
    /// Reports a `use` of an unknown policy, policies that use each other in a cycle, and a
    /// catch block inside a policy.
    ///
    /// ## Why is this bad?
    /// A missing or self-referencing policy cannot be expanded into the retriers and catchers it stands for.
    ///
    /// ## Example
    /// ```asld
    /// task T lambda.invoke { use Transient }
    /// ```
    /// ## Use instead
    /// Declare `policy Transient { … }` before the states.
    D_POLICY = "D-POLICY", Error, "every used policy exists and expands finitely";
    /// ## What it does
    /// Reports two clauses, or a clause and a `raw` member, that produce the same ASL member.
    ///
    /// ## Why is this bad?
    /// The produced JSON object would hold the same key twice, and AWS would keep only one of the values.
    ///
    /// ## Example
    /// ```asld
    /// task T lambda.invoke {
    ///   timeout 10
    ///   raw { TimeoutSeconds: 20 }
    /// }
    /// ```
    /// ## Use instead
    /// Keep one of the two.
    D_DUP_MEMBER = "D-DUP-MEMBER", Error, "no ASL member is produced twice";
    /// ## What it does
    /// Reports a catch block on a state written with `goto none`.
    ///
    /// ## Why is this bad?
    /// The last state of a catch block continues at the owning state's successor, and
    /// `goto none` gives it none.
    D_CATCH_NO_SUCC = "D-CATCH-NO-SUCC", Error, "a state with a catch block has a successor";
    /// ## What it does
    /// Warns about a `goto` or `else goto` that names the state it would fall through to
    /// anyway.
    ///
    /// ## Why is this bad?
    /// The state already falls through to that target; the `goto` only adds noise.
    ///
    /// ## Example
    /// ```asld
    /// pass A
    /// goto B
    /// pass B
    /// ```
    /// ## Use instead
    /// ```asld
    /// pass A
    /// pass B
    /// ```
    D_REDUNDANT_GOTO = "D-REDUNDANT-GOTO", Warn, "a `goto` does not name the fallthrough target";
    /// ## What it does
    /// Warns about `///` lines that document nothing (before `}`, at the end of the file, or
    /// before a clause that has no `Comment`).
    ///
    /// ## Why is this bad?
    /// A doc comment that documents nothing is lost when the file is compiled.
    ///
    /// ## Use instead
    /// Use `//` for a plain comment.
    D_DOC_DANGLING = "D-DOC-DANGLING", Warn, "every `///` block documents something";
    /// ## What it does
    /// Warns about a path inside `result`.
    ///
    /// ## Why is this bad?
    /// ASL does not evaluate `Result`: the `.$` key is kept as written.
    ///
    /// ## Example
    /// ```asld
    /// pass P { result { id: $.id } }
    /// ```
    /// ## Use instead
    /// ```asld
    /// pass P { args { id: $.id } }
    /// ```
    D_PATH_IN_RESULT = "D-PATH-IN-RESULT", Warn, "`result` holds no path";
    /// ## What it does
    /// Warns about a state that falls through into a state otherwise reached only from a
    /// `catch`.
    ///
    /// ## Why is this bad?
    /// Falling into an error handler runs recovery code on the success path, which is almost never intended.
    ///
    /// ## Example
    /// ```asld
    /// task Work lambda.invoke { catch States.ALL goto Cleanup }
    /// task Cleanup lambda.invoke { }
    /// ```
    /// ## Use instead
    /// End the main path before the handler with `end` or `succeed`.
    D_FALL_INTO_HANDLER = "D-FALL-INTO-HANDLER", Warn, "the main path does not fall into an error handler";
    /// ## What it does
    /// Points out a `raw` member that a clause could express.
    ///
    /// ## Why is this bad?
    /// A `raw` member that a clause can express hides the structure from the checker and the formatter.
    ///
    /// ## Example
    /// ```asld
    /// task T lambda.invoke { raw { TimeoutSeconds: 30 } }
    /// ```
    /// ## Use instead
    /// ```asld
    /// task T lambda.invoke { timeout 30 }
    /// ```
    D_RAW_SUGAR = "D-RAW-SUGAR", Info, "`raw` holds only what no clause can say";
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_documented_and_prefixed() {
        let rules = super::all_rules();
        assert_eq!(rules.len(), 18);
        for pair in rules.windows(2) {
            assert!(pair[0].code < pair[1].code, "duplicate or unsorted {}", pair[1].code);
        }
        for rule in rules {
            assert!(rule.code.starts_with("D-"));
            assert!(rule.doc.contains("## What it does"), "{} has no docs", rule.code);
        }
    }
}
