//! Stable fingerprints of findings, shared by every format that has one (SARIF's
//! `partialFingerprints`, GitLab's `fingerprint`, JUnit's `failure type`): a hash of the rule,
//! the file as shown, the template path, the resource and the message — not the line, so a
//! finding keeps its fingerprint when lines are inserted above it — and an occurrence number
//! among identical findings, so equal findings stay distinct.

use std::collections::HashMap;

use super::{Report, locate};
use crate::diagnostic::Finding;
use crate::files::SourceDb;

/// A stable 64-bit FNV-1a hash of what identifies a finding regardless of its line.
pub(super) fn fingerprint(f: &Finding, db: &SourceDb) -> u64 {
    let path = f.path.as_ref().map(ToString::to_string).unwrap_or_default();
    let file = locate(db, f.file, f.span).path;
    let parts = [&*f.code, file, &path, f.resource.as_deref().unwrap_or(""), &f.message];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        // A separator byte that cannot occur in UTF-8 keeps ("ab","c") apart from ("a","bc").
        for b in part.bytes().chain([0xff]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// `hash:occurrence` of each finding of `report`, in order.
pub(super) fn fingerprints(report: &Report, db: &SourceDb) -> Vec<String> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    report
        .findings
        .iter()
        .map(|f| {
            let hash = fingerprint(f, db);
            let occurrence = seen.entry(hash).or_insert(0);
            *occurrence += 1;
            format!("{hash:016x}:{occurrence}")
        })
        .collect()
}
