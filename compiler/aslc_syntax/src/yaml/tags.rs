//! YAML tags: the CloudFormation short forms (`!Ref`, `!Sub`, `!GetAtt`, …) and the core
//! schema's `!!str`-style tags, and where a tag sits in the source.

use aslc_source::TextRange;
use saphyr_parser::Tag;

/// What a node's tag asks the reader to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TagKind {
    /// No tag, or the non-specific `!` on a collection.
    None,
    /// The non-specific `!` on a scalar, or `!!str`: the scalar is a string.
    Str,
    /// `!!null`, `!!bool`, `!!int` or `!!float`: resolve as a plain scalar and expect that kind.
    Core(CoreKind),
    /// `!!map` or `!!seq`.
    Collection { mapping: bool },
    /// A CloudFormation short form: the value becomes `{key: value}`.
    Cfn { key: &'static str },
    /// Anything else: read the value as if untagged, and warn.
    Unknown,
}

/// The scalar kinds of the core schema's tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CoreKind {
    Null,
    Bool,
    Int,
    Float,
}

/// The intrinsic function tags CloudFormation's YAML reader knows, with their long form.
///
/// The list is CloudFormation's documented short forms plus the `Rules` functions; a tag
/// not listed is kept as its value with a warning, as a tag-tolerant loader would.
const CFN_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Transform", "Fn::Transform"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Length", "Fn::Length"),
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
];

/// Classifies a parsed tag.
pub(super) fn classify(tag: &Tag, scalar: bool) -> TagKind {
    match (tag.handle.as_str(), tag.suffix.as_str()) {
        ("", "!") => {
            if scalar {
                TagKind::Str
            } else {
                TagKind::None
            }
        }
        ("tag:yaml.org,2002:", suffix) => match suffix {
            "str" => TagKind::Str,
            "null" => TagKind::Core(CoreKind::Null),
            "bool" => TagKind::Core(CoreKind::Bool),
            "int" => TagKind::Core(CoreKind::Int),
            "float" => TagKind::Core(CoreKind::Float),
            "map" => TagKind::Collection { mapping: true },
            "seq" => TagKind::Collection { mapping: false },
            _ => TagKind::Unknown,
        },
        ("!", suffix) => match cfn_key(suffix) {
            Some(key) => TagKind::Cfn { key },
            None => TagKind::Unknown,
        },
        _ => TagKind::Unknown,
    }
}

/// The long form of a CloudFormation short-form tag's suffix (`Sub` → `Fn::Sub`).
pub(super) fn cfn_key(suffix: &str) -> Option<&'static str> {
    CFN_TAGS.iter().find(|(short, _)| *short == suffix).map(|(_, key)| *key)
}

/// Where a node's content starts, skipping its properties (a tag and an anchor, in either
/// order, with the space and comments between them and the content), and the tag's range.
///
/// `start` is the byte offset of the node's first property.
pub(super) fn skip_properties(text: &str, start: usize) -> (usize, Option<TextRange>) {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut tag = None;
    loop {
        match bytes.get(pos) {
            Some(b'!') => {
                let tag_start = pos;
                if bytes.get(pos + 1) == Some(&b'<') {
                    // A verbatim tag `!<tag:example.com,2000:x>` ends at its `>`.
                    pos = match text[pos..].find('>') {
                        Some(i) => pos + i + 1,
                        None => text.len(),
                    };
                } else {
                    pos = token_end(bytes, pos);
                }
                tag = Some(TextRange::from_usize(tag_start, pos));
            }
            Some(b'&') => pos = token_end(bytes, pos),
            _ => break,
        }
        pos = skip_separation(bytes, pos);
    }
    (pos, tag)
}

/// End of a tag or anchor token: the first blank, line break or flow indicator.
fn token_end(bytes: &[u8], mut pos: usize) -> usize {
    pos += 1;
    while let Some(&b) = bytes.get(pos) {
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}') {
            break;
        }
        pos += 1;
    }
    pos
}

/// Skips blanks, line breaks and comments between node properties and content.
fn skip_separation(bytes: &[u8], mut pos: usize) -> usize {
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
            Some(b'#') => {
                while bytes.get(pos).is_some_and(|&b| b != b'\n') {
                    pos += 1;
                }
            }
            _ => return pos,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_tags_and_anchors() {
        let text = "x: &a !Ref  # note\n  Foo";
        let (content, tag) = skip_properties(text, 3);
        assert_eq!(&text[content..], "Foo");
        assert_eq!(tag.map(|r| &text[r.as_usize()]), Some("!Ref"));
        let text = "[!GetAZs, b]";
        let (content, tag) = skip_properties(text, 1);
        assert_eq!(content, 8);
        assert_eq!(tag.map(|r| &text[r.as_usize()]), Some("!GetAZs"));
        let (content, tag) = skip_properties("!<tag:x,2000:a b> v", 0);
        assert_eq!(content, 18);
        assert_eq!(tag, Some(TextRange::new(0, 17)));
    }
}
