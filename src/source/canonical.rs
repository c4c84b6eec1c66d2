//! Splitting canonical paths (`aws_sdk_s3::Client::new`) into segments.
//!
//! Rules classify every call of every binary by its path, so these run hundreds of thousands
//! of times on a large project. `str::split("::")` sets up a substring searcher on each call;
//! canonical paths never hold a lone `:`, so splitting on the character (a `memchr`) and
//! dropping the empty pieces between the two colons gives the same segments for much less.

/// The segments of `path`, in order.
pub fn segments(path: &str) -> impl DoubleEndedIterator<Item = &str> + Clone {
    path.split(':').filter(|s| !s.is_empty())
}

/// The first segment (the crate, for an external path); `path` itself when it has one.
pub fn first(path: &str) -> &str {
    path.split(':').next().unwrap_or(path)
}

/// The last segment (the function, method or type name).
pub fn last(path: &str) -> &str {
    path.rsplit(':').next().unwrap_or(path)
}

/// `a::b::c` → `("a::b", "c")`; `None` for a single segment.
pub fn split_last(path: &str) -> Option<(&str, &str)> {
    let colon = path.rfind(':')?;
    let head = path[..colon].strip_suffix(':')?;
    Some((head, &path[colon + 1..]))
}

/// `a::b::c` → `("a", "b::c")`; `None` for a single segment.
pub fn split_first(path: &str) -> Option<(&str, &str)> {
    let colon = path.find(':')?;
    let tail = path[colon + 1..].strip_prefix(':')?;
    Some((&path[..colon], tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_double_colon() {
        for path in ["aws_sdk_s3::Client::new", "reqwest::get", "run", "std::fs::File::open"] {
            assert_eq!(segments(path).collect::<Vec<_>>(), path.split("::").collect::<Vec<_>>());
            assert_eq!(segments(path).rev().collect::<Vec<_>>(), path.rsplit("::").collect::<Vec<_>>());
            assert_eq!(first(path), path.split("::").next().unwrap());
            assert_eq!(last(path), path.rsplit("::").next().unwrap());
            assert_eq!(split_last(path), path.rsplit_once("::"));
            assert_eq!(split_first(path), path.split_once("::"));
        }
    }
}
