//! Path parameters into URL paths, each percent-encoded inside its own segment.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::Error;

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encode one path parameter so that nothing in it can change the route: reserved
/// characters (`/ ? # %`, space, CR/LF, ...) are percent-encoded, and the dot segments
/// `.` and `..` are refused (no spelling of them, `%2E%2E` included, survives URL
/// normalisation; the three SDKs refuse them alike).
pub(crate) fn segment(name: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() {
        return Err(Error::Validation(format!("{name} must not be empty")));
    }
    if value == "." || value == ".." {
        return Err(Error::Validation(format!(
            "{name} must not be {value:?}: a dot segment would leave its path"
        )));
    }
    // Through `Cow`, not `Display`: an ID of unreserved characters only is one copy.
    Ok(std::borrow::Cow::from(utf8_percent_encode(value, SEGMENT)).into_owned())
}

/// Encode a `/`-separated file path: `/` stays between segments, each segment is
/// encoded on its own. Empty, `.` and `..` segments are rejected, so a path never climbs
/// out of its root.
pub(crate) fn file_path(name: &str, value: &str) -> Result<String, Error> {
    let trimmed = value.trim_matches('/');
    if trimmed.is_empty() {
        return Err(Error::Validation(format!(
            "{name} must name a file or directory, got {value:?}"
        )));
    }
    let mut out = String::with_capacity(trimmed.len());
    for (i, part) in trimmed.split('/').enumerate() {
        if matches!(part, "" | "." | "..") {
            return Err(Error::Validation(format!(
                "{name} {value:?} has an empty, '.' or '..' segment; use a plain relative path"
            )));
        }
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(part, SEGMENT));
    }
    Ok(out)
}

/// `notes/a.txt` as `/notes/a.txt`, for paths sent in a JSON body, checked like URL paths.
pub(crate) fn absolute(name: &str, value: &str) -> Result<String, Error> {
    file_path(name, value)?;
    Ok(format!("/{}", value.trim_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_change_the_route() {
        assert_eq!(segment("id", "agent_1").unwrap(), "agent_1");
        assert_eq!(
            segment("id", "a/b?c#d%e f").unwrap(),
            "a%2Fb%3Fc%23d%25e%20f"
        );
        assert_eq!(segment("id", "x\r\ny").unwrap(), "x%0D%0Ay");
        assert!(segment("id", "..").is_err());
        assert!(segment("id", ".").is_err());
        assert_eq!(segment("id", "é").unwrap(), "%C3%A9");
        assert!(segment("id", "").is_err());
    }

    #[test]
    fn file_paths_keep_slashes_between_encoded_segments() {
        assert_eq!(
            file_path("path", "/notes/a b.txt").unwrap(),
            "notes/a%20b.txt"
        );
        assert_eq!(file_path("path", "x/y?z").unwrap(), "x/y%3Fz");
        for bad in ["", "/", "a//b", "a/../b", "./a", "a/."] {
            assert!(file_path("path", bad).is_err(), "{bad}");
        }
        assert_eq!(absolute("path", "notes/a.txt/").unwrap(), "/notes/a.txt");
    }
}
