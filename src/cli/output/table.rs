//! Human tables (comfy-table, no borders, fitted to the terminal width) and plain tab-separated rows.

use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Row, Table};

use super::sanitize::sanitize;

/// How a table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableStyle {
    /// Fit into this many columns (long cells are cut with `…`); `None`: natural width.
    pub width: Option<u16>,
    /// Bold headers.
    pub color: bool,
}

fn base_table(style: TableStyle) -> Table {
    let mut table = Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    table.set_truncation_indicator("…");
    match style.width {
        Some(w) => {
            table.set_width(w);
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

fn finish(table: &mut Table, columns: usize) -> String {
    // No border: two spaces between columns, nothing before the first.
    for i in 0..columns {
        if let Some(col) = table.column_mut(i) {
            col.set_padding((0, 2));
        }
    }
    let mut s = String::new();
    for line in table.lines() {
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

/// A list: one header row, one line per record (cells cut rather than wrapped, so rows stay one line).
pub fn render_table(headers: &[&str], rows: &[Vec<String>], style: TableStyle) -> String {
    let mut table = base_table(style);
    let header: Vec<Cell> = headers
        .iter()
        .map(|h| {
            let cell = Cell::new(h.to_uppercase());
            if style.color { cell.add_attribute(Attribute::Bold) } else { cell }
        })
        .collect();
    table.set_header(header);
    for r in rows {
        let mut row = Row::from(r.iter().map(|c| Cell::new(sanitize(c))).collect::<Vec<_>>());
        row.max_height(1);
        table.add_row(row);
    }
    finish(&mut table, headers.len())
}

/// One record as `key  value` lines (values may wrap to the terminal width).
pub fn render_record(fields: &[(&str, String)], style: TableStyle) -> String {
    let mut table = base_table(style);
    for (k, v) in fields {
        let key = Cell::new(k).set_alignment(CellAlignment::Left);
        let key = if style.color { key.add_attribute(Attribute::Bold) } else { key };
        table.add_row(vec![key, Cell::new(sanitize(v))]);
    }
    finish(&mut table, 2)
}

/// Tab-separated cells, sanitised (so a tab or newline inside a value cannot break the columns).
pub fn plain_line(cells: &[String]) -> String {
    let mut s = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            s.push('\t');
        }
        s.push_str(&sanitize(c));
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Vec<String>> {
        vec![
            vec!["a1".into(), "2026-01-01".into(), "hello".into()],
            vec!["b22".into(), "2026-01-02".into(), "a much longer subject line that will not fit".into()],
        ]
    }

    #[test]
    fn table_has_no_borders_and_no_trailing_spaces() {
        let t = render_table(&["id", "date", "subject"], &rows(), TableStyle::default());
        assert_eq!(
            t,
            "ID   DATE        SUBJECT\n\
             a1   2026-01-01  hello\n\
             b22  2026-01-02  a much longer subject line that will not fit\n"
        );
    }

    #[test]
    fn table_is_cut_to_width() {
        let t = render_table(&["id", "date", "subject"], &rows(), TableStyle { width: Some(40), color: false });
        for line in t.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert!(t.contains('…'));
        assert_eq!(t.lines().count(), 3, "one line per row:\n{t}");
    }

    #[test]
    fn cells_are_sanitised() {
        let t = render_table(&["x"], &[vec!["\x1b[31mred\u{202e}\nline".into()]], TableStyle::default());
        assert_eq!(t, "X\nred line\n");
        assert_eq!(plain_line(&["a\tb".into(), "c\nd".into()]), "a b\tc d\n");
    }

    #[test]
    fn record_is_key_value() {
        let t = render_record(&[("id", "x1".into()), ("subject", "hi".into())], TableStyle::default());
        assert_eq!(t, "id       x1\nsubject  hi\n");
    }
}
