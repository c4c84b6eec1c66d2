//! Intrinsic functions resolved to the logical ids they reference.
//!
//! slint does not evaluate templates; it only needs to know *which resource* a value points
//! at: `!Ref Queue`, `!GetAtt Fn.Arn`, `!Sub "arn:...:${Fn.Arn}/invocations"`, and the same
//! inside `Fn::Join`/`Fn::If` arguments.

use crate::model::tree::NodeRef;

/// Pseudo parameters, which are not resources.
fn is_pseudo(name: &str) -> bool {
    name.starts_with("AWS::")
}

/// The logical id a `Ref`/`GetAtt`/`Sub` node names directly, e.g. `Fn` for `!GetAtt Fn.Arn`.
/// For SAM's generated names (`Fn.Alias`, `Fn.Version`) it is the function's id.
pub fn direct_reference(node: NodeRef<'_>) -> Option<&str> {
    let (name, arg) = node.intrinsic()?;
    match name {
        "Ref" => arg.as_str().filter(|s| !is_pseudo(s)).map(strip_sam_suffix),
        "Fn::GetAtt" => getatt_target(arg),
        "Fn::Sub" => {
            let text = match arg.as_str() {
                Some(t) => t,
                None => arg.item(0)?.as_str()?,
            };
            sub_references(text).next()
        }
        _ => None,
    }
}

/// `(logical id, attribute)` of a `Fn::GetAtt` argument in either form.
pub fn getatt_parts<'t>(arg: NodeRef<'t>) -> Option<(&'t str, Option<&'t str>)> {
    if let Some(text) = arg.as_str() {
        return Some(match text.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (text, None),
        });
    }
    let id = arg.item(0)?.as_str()?;
    Some((id, arg.item(1).and_then(|a| a.as_str())))
}

fn getatt_target(arg: NodeRef<'_>) -> Option<&str> {
    getatt_parts(arg).map(|(id, _)| id)
}

fn strip_sam_suffix(id: &str) -> &str {
    id.strip_suffix(".Alias").or_else(|| id.strip_suffix(".Version")).unwrap_or(id)
}

/// The `${...}` placeholders of a `Fn::Sub` string, trimmed, in order, without the
/// `${!Literal}` escapes: `Fn.Arn`, `AWS::Region`, `Queue`.
pub fn sub_placeholders(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("${")?;
            let after = &rest[start + 2..];
            let end = after.find('}')?;
            let inner = after[..end].trim();
            rest = &after[end + 1..];
            if !inner.starts_with('!') {
                return Some(inner);
            }
        }
    })
}

/// The logical ids named by `${...}` placeholders of a `Fn::Sub` string, in order.
/// Pseudo parameters are skipped; `${Fn.Arn}` yields `Fn`.
pub fn sub_references(text: &str) -> impl Iterator<Item = &str> {
    sub_placeholders(text).filter_map(|inner| {
        let id = inner.split('.').next().unwrap_or(inner);
        (!id.is_empty() && !is_pseudo(inner)).then_some(id)
    })
}

/// Every logical id referenced anywhere inside `node` (through `Ref`, `GetAtt`, `Sub`),
/// in document order, without duplicates. Walks at most `limit` nodes.
pub fn references_within<'t>(node: NodeRef<'t>, out: &mut Vec<&'t str>) {
    let mut stack = vec![node];
    let mut budget = 10_000usize;
    while let Some(node) = stack.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            return;
        }
        if let Some(id) = direct_reference(node) {
            if !out.contains(&id) {
                out.push(id);
            }
            // `Fn::Sub` may reference several ids; collect them all.
            if let Some(("Fn::Sub", arg)) = node.intrinsic() {
                let text = arg.as_str().or_else(|| arg.item(0).and_then(|i| i.as_str()));
                for id in text.into_iter().flat_map(sub_references) {
                    if !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
            continue;
        }
        // Children in reverse so that the stack pops them in document order.
        let children: Vec<NodeRef<'t>> =
            if node.is_map() { node.map_iter().map(|(_, _, v)| v).collect() } else { node.items().collect() };
        stack.extend(children.into_iter().rev());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_placeholders_name_resources() {
        let refs: Vec<_> = sub_references(
            "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Orders.Arn}/invocations ${!Literal} ${Queue}",
        )
        .collect();
        assert_eq!(refs, ["Orders", "Queue"]);
    }

    #[test]
    fn unterminated_placeholder_ends_the_scan() {
        assert_eq!(sub_references("${Broken").count(), 0);
    }
}
