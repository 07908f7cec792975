//! Agent and harness names: slugs (`customer-support`), at most 64 characters.

use crate::Error;

const NAME_MAX_LENGTH: usize = 64;

fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The slug for a human name: `"Customer Support"` -> `"customer-support"` (`""` if none).
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in text.trim().to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c);
        } else {
            gap = true;
        }
    }
    slug.truncate(NAME_MAX_LENGTH);
    slug.trim_end_matches('-').to_owned()
}

/// Check an agent or harness name; the error suggests a slug.
pub fn validate_name(name: &str, kind: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::Validation(format!("{kind} name must not be empty")));
    }
    if name.chars().count() > NAME_MAX_LENGTH {
        return Err(Error::Validation(format!(
            "{kind} name is {} characters; at most {NAME_MAX_LENGTH} are allowed",
            name.chars().count()
        )));
    }
    if !is_slug(name) {
        let hint = slugify(name);
        let suggestion = if hint.is_empty() {
            String::new()
        } else {
            format!(" (for example {hint:?})")
        };
        return Err(Error::Validation(format!(
            "{kind} name {name:?} is not a slug: use lowercase letters, digits and single hyphens{suggestion}"
        )));
    }
    Ok(())
}

/// Accept a human name where a slug is expected, as the quick start does: `"Assistant"`
/// becomes the slug `assistant`, with the original kept as the display name (unless one
/// is given).
pub(crate) fn name_and_display(
    name: &str,
    display: Option<String>,
) -> Result<(String, Option<String>), Error> {
    if is_slug(name) && name.len() <= NAME_MAX_LENGTH {
        return Ok((name.to_owned(), display));
    }
    let slug = slugify(name);
    if slug.is_empty() || name.chars().count() > 4 * NAME_MAX_LENGTH {
        validate_name(name, "agent")?;
    }
    Ok((slug, Some(display.unwrap_or_else(|| name.to_owned()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_names_become_slugs() {
        assert_eq!(
            name_and_display("Assistant", None).unwrap(),
            ("assistant".into(), Some("Assistant".into()))
        );
        assert_eq!(
            name_and_display("my-bot", None).unwrap(),
            ("my-bot".into(), None)
        );
        assert_eq!(slugify("  Customer  Support! 2 "), "customer-support-2");
        assert!(name_and_display("!!!", None).is_err());
        assert!(validate_name("Bad Name", "agent")
            .unwrap_err()
            .to_string()
            .contains("bad-name"));
        assert!(validate_name("a--b", "agent").is_err());
        assert!(validate_name(&"a".repeat(65), "agent").is_err());
    }
}
