//! Human tables (comfy-table, no borders, fitted to the terminal width) and plain tab-separated rows.

use comfy_table::{Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Row, Table, Width};

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

/// Column gap: two spaces after each column, nothing before the first.
const GAP: u16 = 2;
/// A column is never cut below this many characters.
const MIN_COLUMN: u16 = 6;

/// Shrinks the widest columns first until the row fits in `budget` characters, so short columns
/// (ids, dates) stay whole and long free text gets cut.
pub fn fit_widths(natural: &[u16], budget: u16) -> Vec<u16> {
    let mut widths = natural.to_vec();
    let mut total: u32 = widths.iter().map(|w| u32::from(*w)).sum();
    // One character at a time from the widest (the rightmost on ties); a few thousand steps at most.
    while total > u32::from(budget) {
        let Some((i, &widest)) = widths.iter().enumerate().max_by_key(|(i, w)| (**w, *i)) else {
            break;
        };
        if widest <= MIN_COLUMN {
            break;
        }
        widths[i] = widest - 1;
        total -= 1;
    }
    widths
}

fn finish(table: &mut Table, columns: usize) -> String {
    for i in 0..columns {
        if let Some(col) = table.column_mut(i) {
            col.set_padding((0, GAP));
        }
    }
    if let Some(width) = table.width() {
        let natural = table.column_max_content_widths();
        let n = u16::try_from(natural.len()).unwrap_or(u16::MAX);
        let fitted = fit_widths(&natural, width.saturating_sub(n.saturating_mul(GAP)));
        for (i, w) in fitted.into_iter().enumerate() {
            if let Some(col) = table.column_mut(i) {
                col.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w + GAP)));
            }
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
    fn widest_columns_shrink_first() {
        assert_eq!(fit_widths(&[4, 20, 16, 70], 80), vec![4, 20, 16, 40]);
        assert_eq!(fit_widths(&[4, 20, 50, 50], 80), vec![4, 20, 28, 28]);
        assert_eq!(fit_widths(&[4, 10], 80), vec![4, 10]);
        // Never below the minimum, even if that overflows.
        assert_eq!(fit_widths(&[10, 10, 10], 6), vec![6, 6, 6]);
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
