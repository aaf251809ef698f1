//! What a Task `Resource` names, as far as the lints need to know: a Lambda function, an
//! activity, or an integration and its pattern suffix (runtime-tasks.md §1, §3).

/// The integration pattern of a resource (runtime-tasks.md §3).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Pattern {
    /// No suffix.
    RequestResponse,
    /// `.sync` or `.sync:2`.
    Sync,
    /// `.waitForTaskToken`.
    Callback,
}

/// A classified resource.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Resource<'a> {
    /// The Lambda service is invoked: a function ARN or the `lambda:invoke` integration.
    pub(crate) lambda: bool,
    /// An activity ARN.
    pub(crate) activity: bool,
    /// `<service>:<api>` of an `arn:<p>:states:::…` integration (`aws-sdk:` kept).
    pub(crate) integration: Option<&'a str>,
    /// The pattern suffix.
    pub(crate) pattern: Pattern,
}

/// Reads a `Resource` string. Deployment placeholders are read around (`arn:${AWS::Partition}:…`);
/// a placeholder standing for the whole ARN classifies as nothing in particular.
pub(crate) fn classify(text: &str) -> Resource<'_> {
    let (body, pattern) = if let Some(body) = text.strip_suffix(".waitForTaskToken") {
        (body, Pattern::Callback)
    } else if let Some(body) = text.strip_suffix(".sync:2").or_else(|| text.strip_suffix(".sync")) {
        (body, Pattern::Sync)
    } else {
        (text, Pattern::RequestResponse)
    };
    let mut resource = Resource { lambda: false, activity: false, integration: None, pattern };
    // What follows `arn:<partition>:`; a placeholder partition such as
    // `${AWS::Partition}` holds colons of its own.
    let rest = match body.strip_prefix("arn:${").and_then(|rest| split_at_byte(rest, b'}')) {
        Some((_, rest)) => rest.strip_prefix(':'),
        None => body.strip_prefix("arn:").and_then(|rest| split_at_byte(rest, b':')).map(|(_, rest)| rest),
    };
    let Some(rest) = rest else { return resource };
    let Some((service, rest)) = split_at_byte(rest, b':') else { return resource };
    let Some((region, rest)) = split_at_byte(rest, b':') else { return resource };
    let Some((account, name)) = split_at_byte(rest, b':') else { return resource };
    match service {
        "lambda" => resource.lambda = name.starts_with("function:"),
        "states" if region.is_empty() && account.is_empty() => {
            resource.lambda = name == "lambda:invoke";
            resource.integration = Some(name);
        }
        "states" => resource.activity = name.starts_with("activity:"),
        _ => {}
    }
    resource
}

/// `text` split around the first `byte` (an ASCII delimiter), which is dropped. A plain
/// scan: ARN parts are short, shorter than a character search takes to set up.
fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((&text[..at], &text[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        let r = classify("arn:aws:lambda:us-east-1:123456789012:function:f");
        assert!(r.lambda && r.integration.is_none());
        let r = classify("arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken");
        assert!(r.lambda && r.pattern == Pattern::Callback);
        let r = classify("arn:aws:states:::states:startExecution.sync:2");
        assert_eq!((r.integration, r.pattern), (Some("states:startExecution"), Pattern::Sync));
        assert!(classify("arn:aws:states:us-east-1:123456789012:activity:a").activity);
        let r = classify("${LambdaArn}");
        assert!(!r.lambda && !r.activity);
    }
}
