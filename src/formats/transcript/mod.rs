//! Conversation transcripts: the HTML pieces (minijinja templates, the defaults embedded, each
//! overridable from a user's template directory) and the one-line-per-message text form.
//!
//! A transcript is rendered piece by piece (header, day separator, message, event, receipt,
//! footer) so an exporter can write it while messages stream in, never holding a whole
//! conversation. Every value is escaped by the template engine (auto-escape is on for every
//! piece, whatever its file name), so server strings cannot inject markup.

use std::path::Path;

use minijinja::{AutoEscape, Environment};
use serde::Serialize;

/// The pieces of a transcript, in the order a page uses them.
pub const PIECES: [&str; 6] = ["header.html", "day.html", "message.html", "event.html", "receipt.html", "footer.html"];

/// The largest template file read from a user's directory.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

const DEFAULTS: [(&str, &str); 6] = [
    ("header.html", include_str!("templates/header.html")),
    ("day.html", include_str!("templates/day.html")),
    ("message.html", include_str!("templates/message.html")),
    ("event.html", include_str!("templates/event.html")),
    ("receipt.html", include_str!("templates/receipt.html")),
    ("footer.html", include_str!("templates/footer.html")),
];

/// Why templates could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template {name}: {reason}")]
    Bad { name: String, reason: String },
    #[error("template {name}: {source}")]
    Io { name: String, source: std::io::Error },
}

/// The loaded transcript templates.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The embedded defaults, each replaced by the file of the same name in `dir` when there is one.
    pub fn load(dir: Option<&Path>) -> Result<Self, TemplateError> {
        let mut env = Environment::new();
        // Escape everything as HTML: a user's template named *.txt must not switch it off.
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Lenient);
        for (name, source) in DEFAULTS {
            let mut text = source.to_string();
            if let Some(dir) = dir {
                let path = dir.join(name);
                match std::fs::metadata(&path) {
                    Ok(m) if m.len() > MAX_TEMPLATE_BYTES => {
                        return Err(TemplateError::Bad {
                            name: path.display().to_string(),
                            reason: format!("larger than {MAX_TEMPLATE_BYTES} bytes"),
                        });
                    }
                    Ok(_) => {
                        text = std::fs::read_to_string(&path)
                            .map_err(|source| TemplateError::Io { name: path.display().to_string(), source })?;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => return Err(TemplateError::Io { name: path.display().to_string(), source }),
                }
            }
            env.add_template_owned(name, text)
                .map_err(|e| TemplateError::Bad { name: name.to_string(), reason: e.to_string() })?;
        }
        Ok(Templates { env })
    }

    /// Renders one piece with `ctx`.
    pub fn render<S: Serialize>(&self, piece: &str, ctx: &S) -> Result<String, TemplateError> {
        let bad = |e: minijinja::Error| TemplateError::Bad { name: piece.to_string(), reason: e.to_string() };
        let t = self.env.get_template(piece).map_err(bad)?;
        t.render(minijinja::value::Serde(ctx)).map_err(bad)
    }
}

/// An image shown inline: `src` is what the page shows (a thumbnail when there is one), `href`
/// the full file.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub src: String,
    pub href: String,
    pub name: String,
}

/// Any other attachment, linked with its type and size.
#[derive(Debug, Clone, Serialize)]
pub struct FileLink {
    pub href: String,
    pub name: String,
    pub content_type: String,
    pub size: String,
}

/// What the message piece shows.
#[derive(Debug, Clone, Serialize)]
pub struct MessageCtx {
    /// A DOM id made of hex digits only (receipts select the message by it).
    pub dom_id: String,
    /// `in` or `out`.
    pub direction: &'static str,
    pub sender: String,
    pub show_sender: bool,
    /// Local time of day with zone.
    pub time: String,
    /// RFC 3339 with offset.
    pub time_full: String,
    pub text: String,
    pub images: Vec<Image>,
    pub files: Vec<FileLink>,
    pub deleted: bool,
}

/// A size as people read it (`12.3 KB`).
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for u in UNITS.iter().skip(1) {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

/// Bidi controls, which could make a line read differently from what it holds.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One line of `transcript.txt`: `TIME SENDER: TEXT [attachment: FILE]…`. Line breaks in the
/// text become a visible `⏎` and other control characters a space, so every message stays
/// one line.
pub fn txt_line(time: &str, sender: &str, text: &str, files: &[String]) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '\r')
            .map(|c| match c {
                '\n' => '⏎',
                c if c.is_control() || crate::formats::transcript::is_bidi(c) => ' ',
                c => c,
            })
            .collect::<String>()
    };
    let mut line = format!("{time} {}:", clean(sender));
    if !text.is_empty() {
        line.push(' ');
        line.push_str(&clean(text));
    }
    for f in files {
        line.push_str(&format!(" [attachment: {}]", clean(f)));
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_string_is_escaped() {
        let t = Templates::load(None).unwrap();
        let m = MessageCtx {
            dom_id: "m-00".into(),
            direction: "in",
            sender: "<b>x</b>".into(),
            show_sender: true,
            time: "10:00".into(),
            time_full: "2024-05-01T10:00:00+00:00".into(),
            text: "<script>alert(1)</script>".into(),
            images: vec![],
            files: vec![FileLink {
                href: "attachments/a\"b.png".into(),
                name: "\"><img src=x>".into(),
                content_type: "image/png".into(),
                size: human_size(2048),
            }],
            deleted: false,
        };
        let html = t.render("message.html", &m).unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<b>x"));
        assert!(!html.contains("\"><img"));
        assert!(html.contains("2.0 KB"));
    }

    #[test]
    fn user_templates_override_and_still_escape() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("day.html"), "DAY {{ day }}").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let got = t.render("day.html", &serde_json::json!({"day": "<i>"})).unwrap();
        assert_eq!(got, "DAY &lt;i&gt;");
        std::fs::write(dir.path().join("event.html"), "{% if %}").unwrap();
        assert!(Templates::load(Some(dir.path())).is_err());
    }

    #[test]
    fn text_lines_stay_one_line() {
        let l = txt_line("2024-05-01T10:00:00+02:00", "Bob\n", "a\r\nb\tc", &["attachments/x.png".into()]);
        assert_eq!(l, "2024-05-01T10:00:00+02:00 Bob⏎: a⏎b c [attachment: attachments/x.png]\n");
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
    }
}
