//! Text that slint shows but did not write: escaping what a terminal would act on. Error
//! messages (which quote config and pack text) and every renderer use it.

/// `text` with the characters a terminal acts on made visible: ESC, BEL and the other C0
/// controls but tab and line feed, DEL, the C1 controls and the bidirectional overrides become
/// `\u{1b}`-style escapes. A template controls logical ids, property values and file names,
/// and the text formats are read in terminals: a logical id must not retitle or recolour the
/// terminal of whoever runs slint, nor reorder what it shows.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unprintable(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether [`printable`] escapes `c`.
pub fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
