//! Reading a Task `Resource` (runtime-tasks.md §1): which kind of resource it names, and
//! the table of optimized integrations with the patterns each supports (§3.4).
//!
//! The task, Express and Map checks all classify resources through [`classify`], so they
//! agree on what a string means.

use crate::ir::has_placeholder;

/// The integration pattern chosen by a resource's suffix (runtime-tasks.md §3).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Pattern {
    /// No suffix: call the API and take its response.
    RequestResponse,
    /// `.sync`: run a job and wait for it.
    Sync,
    /// `.sync:2`: like `.sync`, with a parsed JSON result (`states:startExecution`).
    Sync2,
    /// `.waitForTaskToken`: wait for a callback with the task token.
    Callback,
}

impl Pattern {
    /// The suffix as written.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync",
            Pattern::Sync2 => ".sync:2",
            Pattern::Callback => ".waitForTaskToken",
        }
    }
}

/// An `arn:<p>:states:::<service>:<api>[<suffix>]` resource.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Integration<'a> {
    /// The partition; `None` when it is a `${…}` placeholder.
    pub(crate) partition: Option<&'a str>,
    /// Whether it is `aws-sdk:<service>:<action>`.
    pub(crate) sdk: bool,
    /// `<service>` (without `aws-sdk:`).
    pub(crate) service: &'a str,
    /// `<api>` without the suffix.
    pub(crate) api: &'a str,
    /// The suffix.
    pub(crate) pattern: Pattern,
}

/// What a Task `Resource` names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Resource<'a> {
    /// A value only known at deployment (`${…}` anywhere but the partition).
    Opaque,
    /// `arn:<p>:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
    LambdaFunction {
        /// The partition.
        partition: &'a str,
    },
    /// `arn:<p>:states:<region>:<account>:activity:<name>`.
    Activity {
        /// The partition.
        partition: &'a str,
    },
    /// An optimized or AWS SDK integration.
    Integration(Integration<'a>),
    /// A `states` ARN in the integration namespace whose rest is not `<service>:<api>`.
    UnknownStates,
    /// A well-formed ARN of a service Step Functions does not invoke directly
    /// (`arn:aws:swf:…`).
    OtherArn {
        /// The partition.
        partition: &'a str,
        /// The service.
        service: &'a str,
    },
    /// A URI that is not an ARN (`foo:bar`).
    Uri,
    /// Not a resource at all.
    Malformed(Malformed),
}

/// Why a resource string is malformed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Malformed {
    /// Not even `<scheme>:<rest>`.
    NotUri,
    /// A `${` placeholder that never closes.
    UnterminatedPlaceholder,
    /// `arn:` followed by fewer than five fields, or an empty partition or service.
    ArnShape,
    /// A `lambda` ARN that is not `function:<name>[:<qualifier>]`.
    LambdaShape,
    /// A Lambda function name with characters outside `A-Z a-z 0-9 - _`.
    LambdaName,
    /// A Lambda qualifier that is empty or not `$LATEST`, a version or an alias.
    LambdaQualifier,
    /// An activity ARN without a name.
    ActivityName,
}

impl Malformed {
    /// What is wrong, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Malformed::NotUri => "is not an ARN",
            Malformed::UnterminatedPlaceholder => "has a `${` placeholder that is never closed",
            Malformed::ArnShape => "is not a well-formed ARN",
            Malformed::LambdaShape => "is not a Lambda function ARN",
            Malformed::LambdaName => {
                "has a Lambda function name with characters other than letters, digits, `-` and `_`"
            }
            Malformed::LambdaQualifier => {
                "has a Lambda qualifier that is not `$LATEST`, a version number or an alias"
            }
            Malformed::ActivityName => "is an activity ARN without an activity name",
        }
    }
}

/// Classifies a `Resource` string.
pub(crate) fn classify(text: &str) -> Resource<'_> {
    // `arn:${AWS::Partition}:states:::…` is common in templates: the partition is
    // unknown, the rest is literal and can still be judged.
    let (partition, rest) = match split_placeholder_partition(text) {
        Some((rest, true)) => (None, rest),
        Some((_, false)) => return Resource::Opaque,
        None => {
            if has_placeholder(text) {
                return Resource::Opaque;
            }
            if contains_placeholder_open(text) {
                return Resource::Malformed(Malformed::UnterminatedPlaceholder);
            }
            let Some(after) = text.strip_prefix("arn:") else {
                return match split_at_byte(text, b':') {
                    Some((scheme, rest))
                        if !scheme.is_empty() && !rest.is_empty() && !text.contains(char::is_whitespace) =>
                    {
                        Resource::Uri
                    }
                    _ => Resource::Malformed(Malformed::NotUri),
                };
            };
            let Some((partition, rest)) = split_at_byte(after, b':') else {
                return Resource::Malformed(Malformed::ArnShape);
            };
            if partition.is_empty() {
                return Resource::Malformed(Malformed::ArnShape);
            }
            (Some(partition), rest)
        }
    };
    // `rest` is `<service>:<region>:<account>:<resource>`.
    let Some((service, rest)) = split_at_byte(rest, b':') else {
        return Resource::Malformed(Malformed::ArnShape);
    };
    let Some((region, rest)) = split_at_byte(rest, b':') else {
        return Resource::Malformed(Malformed::ArnShape);
    };
    let Some((account, resource)) = split_at_byte(rest, b':') else {
        return Resource::Malformed(Malformed::ArnShape);
    };
    if service.is_empty() || resource.is_empty() {
        return Resource::Malformed(Malformed::ArnShape);
    }
    match service {
        "lambda" => {
            let Some(partition) = partition else { return Resource::Opaque };
            // Region and account are not judged: definitions written for several accounts
            // leave them empty or use stand-ins (`arn:aws:lambda:::function:f`).
            lambda(partition, resource)
        }
        "states" => states(partition, region, account, resource),
        _ => match partition {
            Some(partition) => Resource::OtherArn { partition, service },
            None => Resource::Opaque,
        },
    }
}

/// `text` split around the first `byte` (an ASCII delimiter), which is dropped. A plain
/// scan: resource strings are short, shorter than a character search takes to set up.
fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((&text[..at], &text[at + 1..]))
}

/// For `arn:${…}:<rest>`, the rest and whether it is free of further placeholders.
fn split_placeholder_partition(text: &str) -> Option<(&str, bool)> {
    let after = text.strip_prefix("arn:${")?;
    let close = after.bytes().position(|b| b == b'}')?;
    let rest = after[close + 1..].strip_prefix(':')?;
    Some((rest, !contains_placeholder_open(rest)))
}

/// Whether `text` contains `${`.
fn contains_placeholder_open(text: &str) -> bool {
    crate::ir::placeholder_open(text.as_bytes(), 0).is_some()
}

fn lambda<'a>(partition: &'a str, resource: &str) -> Resource<'a> {
    let Some(function) = resource.strip_prefix("function:") else {
        return Resource::Malformed(Malformed::LambdaShape);
    };
    let (name, qualifier) = match split_at_byte(function, b':') {
        Some((name, qualifier)) => (name, Some(qualifier)),
        None => (function, None),
    };
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if name.is_empty() || !name.chars().all(name_char) {
        return Resource::Malformed(Malformed::LambdaName);
    }
    if let Some(qualifier) = qualifier {
        if qualifier != "$LATEST" && (qualifier.is_empty() || !qualifier.chars().all(name_char)) {
            return Resource::Malformed(Malformed::LambdaQualifier);
        }
    }
    Resource::LambdaFunction { partition }
}

fn states<'a>(partition: Option<&'a str>, region: &str, account: &str, resource: &'a str) -> Resource<'a> {
    if !region.is_empty() || !account.is_empty() {
        if let Some(name) = resource.strip_prefix("activity:") {
            let Some(partition) = partition else { return Resource::Opaque };
            return if name.is_empty() || name.contains(':') {
                Resource::Malformed(Malformed::ActivityName)
            } else {
                Resource::Activity { partition }
            };
        }
    }
    // The integration namespace. Region-qualified integration ARNs occur in deployed
    // definitions; they are read the same way.
    let (body, pattern) = if let Some(body) = resource.strip_suffix(".sync:2") {
        (body, Pattern::Sync2)
    } else if let Some(body) = resource.strip_suffix(".sync") {
        (body, Pattern::Sync)
    } else if let Some(body) = resource.strip_suffix(".waitForTaskToken") {
        (body, Pattern::Callback)
    } else {
        (resource, Pattern::RequestResponse)
    };
    // `<service>:<api>` or `aws-sdk:<service>:<api>`, with no further colon.
    let integration = match split_at_byte(body, b':') {
        Some(("aws-sdk", rest)) => match split_at_byte(rest, b':') {
            Some((service, api)) if !api.contains(':') => {
                Integration { partition, sdk: true, service, api, pattern }
            }
            _ => return Resource::UnknownStates,
        },
        Some((service, api)) if !api.contains(':') => {
            Integration { partition, sdk: false, service, api, pattern }
        }
        _ => return Resource::UnknownStates,
    };
    if integration.service.is_empty() || integration.api.is_empty() {
        return Resource::UnknownStates;
    }
    Resource::Integration(integration)
}

/// Patterns an optimized API supports beyond Request Response.
const SYNC: u8 = 1;
const SYNC2: u8 = 2;
const CALLBACK: u8 = 4;

/// The optimized integrations of runtime-tasks.md §3.4 (completed from the AWS
/// integration pages): `(service, api, patterns)`. Every API supports Request Response.
/// Callback support for `bedrock` and `eks` is documented per service, not per API, so
/// it is accepted on each of their APIs.
const OPTIMIZED: &[(&str, &str, u8)] = &[
    ("apigateway", "invoke", CALLBACK),
    ("athena", "getQueryExecution", 0),
    ("athena", "getQueryResults", 0),
    ("athena", "startQueryExecution", SYNC),
    ("athena", "stopQueryExecution", 0),
    ("batch", "submitJob", SYNC),
    ("bedrock", "createModelCustomizationJob", SYNC | CALLBACK),
    ("bedrock", "invokeModel", CALLBACK),
    ("codebuild", "batchDeleteBuilds", 0),
    ("codebuild", "batchGetReports", 0),
    ("codebuild", "deleteBuildBatch", 0),
    ("codebuild", "retryBuildBatch", SYNC),
    ("codebuild", "startBuild", SYNC),
    ("codebuild", "startBuildBatch", SYNC),
    ("codebuild", "stopBuild", 0),
    ("codebuild", "stopBuildBatch", 0),
    ("databrew", "startJobRun", SYNC),
    ("dynamodb", "deleteItem", 0),
    ("dynamodb", "getItem", 0),
    ("dynamodb", "putItem", 0),
    ("dynamodb", "updateItem", 0),
    ("ecs", "runTask", SYNC | CALLBACK),
    ("eks", "call", CALLBACK),
    ("eks", "createCluster", SYNC | CALLBACK),
    ("eks", "createFargateProfile", SYNC | CALLBACK),
    ("eks", "createNodegroup", SYNC | CALLBACK),
    ("eks", "deleteCluster", SYNC | CALLBACK),
    ("eks", "deleteFargateProfile", SYNC | CALLBACK),
    ("eks", "deleteNodegroup", SYNC | CALLBACK),
    ("eks", "runJob", SYNC | CALLBACK),
    ("elasticmapreduce", "addStep", SYNC),
    ("elasticmapreduce", "cancelStep", 0),
    ("elasticmapreduce", "createCluster", SYNC),
    ("elasticmapreduce", "modifyInstanceFleetByName", 0),
    ("elasticmapreduce", "modifyInstanceGroupByName", 0),
    ("elasticmapreduce", "setClusterTerminationProtection", 0),
    ("elasticmapreduce", "terminateCluster", SYNC),
    ("emr-containers", "createVirtualCluster", 0),
    ("emr-containers", "deleteVirtualCluster", SYNC),
    ("emr-containers", "startJobRun", SYNC),
    ("emr-serverless", "cancelJobRun", SYNC),
    ("emr-serverless", "createApplication", SYNC),
    ("emr-serverless", "deleteApplication", SYNC),
    ("emr-serverless", "startApplication", SYNC),
    ("emr-serverless", "startJobRun", SYNC),
    ("emr-serverless", "stopApplication", SYNC),
    ("events", "putEvents", CALLBACK),
    ("glue", "startJobRun", SYNC),
    ("http", "invoke", 0),
    ("lambda", "invoke", CALLBACK),
    ("mediaconvert", "createJob", SYNC),
    ("sagemaker", "createEndpoint", 0),
    ("sagemaker", "createEndpointConfig", 0),
    ("sagemaker", "createHyperParameterTuningJob", SYNC),
    ("sagemaker", "createLabelingJob", SYNC),
    ("sagemaker", "createModel", 0),
    ("sagemaker", "createProcessingJob", SYNC),
    ("sagemaker", "createTrainingJob", SYNC),
    ("sagemaker", "createTransformJob", SYNC),
    ("sagemaker", "updateEndpoint", 0),
    ("sns", "publish", CALLBACK),
    ("sqs", "sendMessage", CALLBACK),
    ("states", "startExecution", SYNC | SYNC2 | CALLBACK),
];

/// What the table says about an optimized `<service>:<api>`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Known {
    /// The API exists and supports the pattern.
    Supported,
    /// The API exists but not with this pattern; the patterns it has, e.g. `.sync`.
    PatternUnsupported(&'static [&'static str]),
    /// The service has optimized APIs, but not this one.
    UnknownApi,
    /// No optimized integration has this service name.
    UnknownService,
}

/// Looks an optimized integration up in the table.
pub(crate) fn lookup(service: &str, api: &str, pattern: Pattern) -> Known {
    // The table is sorted by service, then API (a test holds it so).
    let patterns = match OPTIMIZED.binary_search_by(|&(s, a, _)| (s, a).cmp(&(service, api))) {
        Ok(at) => OPTIMIZED[at].2,
        Err(at) => {
            let known_service = [at.checked_sub(1), Some(at)]
                .into_iter()
                .flatten()
                .any(|i| OPTIMIZED.get(i).is_some_and(|&(s, _, _)| s == service));
            return if known_service { Known::UnknownApi } else { Known::UnknownService };
        }
    };
    let supported = match pattern {
        Pattern::RequestResponse => true,
        Pattern::Sync => patterns & SYNC != 0,
        Pattern::Sync2 => patterns & SYNC2 != 0,
        Pattern::Callback => patterns & CALLBACK != 0,
    };
    if supported {
        return Known::Supported;
    }
    Known::PatternUnsupported(match patterns {
        0 => &[],
        SYNC => &[".sync"],
        CALLBACK => &[".waitForTaskToken"],
        p if p == SYNC | CALLBACK => &[".sync", ".waitForTaskToken"],
        _ => &[".sync", ".sync:2", ".waitForTaskToken"],
    })
}

/// The optimized APIs of `service`, for suggestions.
pub(crate) fn apis_of(service: &str) -> Vec<&'static str> {
    OPTIMIZED.iter().filter(|(s, _, _)| *s == service).map(|(_, a, _)| *a).collect()
}

/// Every optimized service name, for suggestions.
pub(crate) fn services() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = OPTIMIZED.iter().map(|(s, _, _)| *s).collect();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_optimized_table_is_sorted_for_binary_search() {
        for pair in super::OPTIMIZED.windows(2) {
            assert!((pair[0].0, pair[0].1) < (pair[1].0, pair[1].1), "{pair:?}");
        }
    }

    #[test]
    fn placeholder_openings_are_found_as_a_substring_search_finds_them() {
        for text in ["", "$", "${", "$$", "$${", "a$b${c", "${}", "arn:$", "é${", "$é{"] {
            assert_eq!(super::contains_placeholder_open(text), text.contains("${"), "{text:?}");
        }
    }
    use super::*;

    #[test]
    fn classifies_each_form() {
        let integration = |partition, sdk, service, api, pattern| {
            Resource::Integration(Integration { partition, sdk, service, api, pattern })
        };
        let cases: &[(&str, Resource)] = &[
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Hello",
                Resource::LambdaFunction { partition: "aws" },
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Hello:$LATEST",
                Resource::LambdaFunction { partition: "aws" },
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Hello:prod-1",
                Resource::LambdaFunction { partition: "aws" },
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Hello:",
                Resource::Malformed(Malformed::LambdaQualifier),
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Hello:$*#",
                Resource::Malformed(Malformed::LambdaQualifier),
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Hel lo",
                Resource::Malformed(Malformed::LambdaName),
            ),
            ("arn:aws:lambda:us-east-1:123456789012:layer:L", Resource::Malformed(Malformed::LambdaShape)),
            ("arn:aws:lambda:::function:F", Resource::LambdaFunction { partition: "aws" }),
            ("arn:aws-cn:states:cn-north-1:1:activity:Approve", Resource::Activity { partition: "aws-cn" }),
            ("arn:aws:states:us-east-1:1:activity:", Resource::Malformed(Malformed::ActivityName)),
            (
                "arn:aws:states:::lambda:invoke",
                integration(Some("aws"), false, "lambda", "invoke", Pattern::RequestResponse),
            ),
            (
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                integration(Some("aws"), false, "sqs", "sendMessage", Pattern::Callback),
            ),
            (
                "arn:aws:states:::states:startExecution.sync:2",
                integration(Some("aws"), false, "states", "startExecution", Pattern::Sync2),
            ),
            (
                "arn:aws:states:::batch:submitJob.sync",
                integration(Some("aws"), false, "batch", "submitJob", Pattern::Sync),
            ),
            (
                "arn:aws:states:::aws-sdk:s3:getObject",
                integration(Some("aws"), true, "s3", "getObject", Pattern::RequestResponse),
            ),
            (
                "arn:aws:states:us-east-1:1:aws-sdk:s3:getObject",
                integration(Some("aws"), true, "s3", "getObject", Pattern::RequestResponse),
            ),
            (
                "arn:${AWS::Partition}:states:::sns:publish",
                integration(None, false, "sns", "publish", Pattern::RequestResponse),
            ),
            ("arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:F", Resource::Opaque),
            ("arn:aws:states:::aws-sdk:s3", Resource::UnknownStates),
            ("arn:aws:states:::lambda", Resource::UnknownStates),
            (
                "arn:aws:swf:us-east-1:123456789012:task:X",
                Resource::OtherArn { partition: "aws", service: "swf" },
            ),
            ("${LambdaArn}", Resource::Opaque),
            ("arn:aws:lambda:us-east-1:${AWS::AccountId}:function:F", Resource::Opaque),
            ("foo:bar", Resource::Uri),
            ("InvalidArn", Resource::Malformed(Malformed::NotUri)),
            ("${lambdaArn", Resource::Malformed(Malformed::UnterminatedPlaceholder)),
            ("arn:aws:states", Resource::Malformed(Malformed::ArnShape)),
            ("arn::states:::lambda:invoke", Resource::Malformed(Malformed::ArnShape)),
            ("arn:aws::lambda:us-east-1:1:function:F", Resource::Malformed(Malformed::ArnShape)),
        ];
        for (text, expected) in cases {
            assert_eq!(classify(text), *expected, "{text}");
        }
    }

    #[test]
    fn looks_up_patterns() {
        assert_eq!(lookup("lambda", "invoke", Pattern::Callback), Known::Supported);
        assert_eq!(
            lookup("lambda", "invoke", Pattern::Sync),
            Known::PatternUnsupported(&[".waitForTaskToken"])
        );
        assert_eq!(lookup("dynamodb", "query", Pattern::RequestResponse), Known::UnknownApi);
        assert_eq!(lookup("dynamodb", "getItem", Pattern::Callback), Known::PatternUnsupported(&[]));
        assert_eq!(lookup("s3", "getObject", Pattern::RequestResponse), Known::UnknownService);
        assert_eq!(lookup("states", "startExecution", Pattern::Sync2), Known::Supported);
        assert_eq!(
            lookup("ecs", "runTask", Pattern::Sync2),
            Known::PatternUnsupported(&[".sync", ".waitForTaskToken"])
        );
    }
}
