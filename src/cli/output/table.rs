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
/// A column is never cut below this many characters while another cut can still help.
const MIN_COLUMN: u16 = 6;
/// The last resort for a cuttable column on a very narrow terminal: one character and `…`.
const MIN_CUT: u16 = 2;

/// Shrinks the widest columns first until the row fits in `budget` characters, so short columns
/// (ids, dates) stay whole and long free text gets cut.
pub fn fit_widths(natural: &[u16], budget: u16) -> Vec<u16> {
    let floors: Vec<u16> = natural.iter().map(|w| (*w).min(MIN_COLUMN)).collect();
    shrink(natural.to_vec(), &floors, budget)
}

/// Like [`fit_widths`], but columns marked in `whole` are never cut (an id must stay copyable),
/// and the others first keep their header whole (`header` widths), then give way down to
/// [`MIN_CUT`] if the whole columns leave that little room. A row may still be wider than
/// `budget` when the whole columns alone do not fit.
pub fn fit_widths_keeping(natural: &[u16], header: &[u16], whole: &[bool], budget: u16) -> Vec<u16> {
    let is_whole = |i: usize| whole.get(i).copied().unwrap_or(false);
    let floor = |i: usize, min: u16| if is_whole(i) { natural[i] } else { natural[i].min(min) };
    let first: Vec<u16> =
        (0..natural.len()).map(|i| floor(i, header.get(i).copied().unwrap_or(0).max(MIN_COLUMN))).collect();
    let widths = shrink(natural.to_vec(), &first, budget);
    let last: Vec<u16> = (0..natural.len()).map(|i| floor(i, MIN_CUT)).collect();
    shrink(widths, &last, budget)
}

/// One character at a time from the widest column still above its floor (the rightmost on
/// ties), until the total fits; a few thousand steps at most.
fn shrink(mut widths: Vec<u16>, floors: &[u16], budget: u16) -> Vec<u16> {
    let mut total: u32 = widths.iter().map(|w| u32::from(*w)).sum();
    while total > u32::from(budget) {
        let candidate =
            widths.iter().enumerate().filter(|(i, w)| **w > floors[*i]).max_by_key(|(i, w)| (**w, *i)).map(|(i, _)| i);
        let Some(i) = candidate else {
            break;
        };
        widths[i] -= 1;
        total -= 1;
    }
    widths
}

/// The width a free-text column keeps (or its natural width when shorter) before
/// low-value columns are left out of a narrow table.
pub const FREE_TEXT_MIN: u16 = 20;

/// Which of the `droppable` columns (indexes, in the order they should go) a table of
/// `width` characters leaves out so that no free-text column (neither whole nor droppable)
/// is cut below `min(natural, FREE_TEXT_MIN)`; as few as that takes, possibly all of them.
pub fn columns_to_drop(natural: &[u16], header: &[u16], whole: &[bool], droppable: &[usize], width: u16) -> Vec<usize> {
    let mut dropped: Vec<usize> = Vec::new();
    loop {
        let kept: Vec<usize> = (0..natural.len()).filter(|i| !dropped.contains(i)).collect();
        let pick = |v: &[u16]| kept.iter().map(|&i| v.get(i).copied().unwrap_or(0)).collect::<Vec<u16>>();
        let kept_whole: Vec<bool> = kept.iter().map(|&i| whole.get(i).copied().unwrap_or(false)).collect();
        let n = u16::try_from(kept.len()).unwrap_or(u16::MAX);
        let budget = width.saturating_sub(n.saturating_sub(1).saturating_mul(GAP));
        let widths = fit_widths_keeping(&pick(natural), &pick(header), &kept_whole, budget);
        let starved = kept.iter().zip(&widths).any(|(&i, w)| {
            let free = !whole.get(i).copied().unwrap_or(false) && !droppable.contains(&i);
            free && *w < natural[i].min(FREE_TEXT_MIN)
        });
        match droppable.iter().find(|d| !dropped.contains(d)) {
            Some(&next) if starved => dropped.push(next),
            _ => return dropped,
        }
    }
}

/// Lays out and renders `table`; returns the text and the content width of each column.
/// `fixed` (the widths of an earlier chunk of the same list) overrides the fitting.
fn finish(table: &mut Table, header: &[u16], whole: &[bool], fixed: Option<&[u16]>) -> (String, Vec<u16>) {
    let columns = table.column_count();
    for i in 0..columns {
        if let Some(col) = table.column_mut(i) {
            col.set_padding((0, GAP));
        }
    }
    let natural = table.column_max_content_widths();
    let n = u16::try_from(natural.len()).unwrap_or(u16::MAX);
    let widths = if let Some(fixed) = fixed {
        let total = fixed.iter().fold(0u16, |a, w| a.saturating_add(*w)).saturating_add(n.saturating_mul(GAP));
        table.set_width(total);
        table.set_content_arrangement(ContentArrangement::Dynamic);
        Some(fixed.to_vec())
    } else if let Some(width) = table.width() {
        // The last column's gap is trimmed from every line, so it costs nothing.
        let budget = width.saturating_sub(n.saturating_sub(1).saturating_mul(GAP));
        Some(if whole.iter().any(|w| *w) || !header.is_empty() {
            fit_widths_keeping(&natural, header, whole, budget)
        } else {
            fit_widths(&natural, budget)
        })
    } else {
        None
    };
    if let Some(widths) = &widths {
        for (i, w) in widths.iter().enumerate() {
            if let Some(col) = table.column_mut(i) {
                col.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w + GAP)));
            }
        }
    }
    let mut s = String::new();
    for line in table.lines() {
        s.push_str(&trim_styled_end(&line));
        s.push('\n');
    }
    (s, widths.unwrap_or(natural))
}

/// Trims trailing blanks, also those inside a closing style (`…SUBJECT   \x1b[0m` on a bold
/// header): the last column's padding is not counted in the width budget, so a line that kept
/// it would be wider than the terminal and wrap.
fn trim_styled_end(line: &str) -> String {
    const RESET: &str = "\x1b[0m";
    let mut rest = line.trim_end();
    let mut resets = 0;
    while let Some(r) = rest.strip_suffix(RESET) {
        rest = r.trim_end();
        resets += 1;
    }
    let mut out = rest.to_string();
    out.push_str(&RESET.repeat(resets.min(1)));
    out
}

/// A list: one header row, one line per record (cells cut rather than wrapped, so rows stay one line).
pub fn render_table(headers: &[&str], rows: &[Vec<String>], style: TableStyle) -> String {
    render_table_keeping(headers, rows, style, &[])
}

/// [`render_table`] where the columns marked in `whole` (ids, dates, flags) are never cut on a
/// narrow terminal: the others absorb the squeeze with `…`. Headers never wrap.
pub fn render_table_keeping(headers: &[&str], rows: &[Vec<String>], style: TableStyle, whole: &[bool]) -> String {
    render_chunk(headers, rows, style, whole, None).0
}

/// One chunk of a long table. The first (`fixed` = `None`) has the header and fits the columns;
/// it returns the column widths, which the later chunks pass as `fixed` so that every row of
/// the list lines up without holding the whole list (those chunks have no header).
pub fn render_chunk(
    headers: &[&str],
    rows: &[Vec<String>],
    style: TableStyle,
    whole: &[bool],
    fixed: Option<&[u16]>,
) -> (String, Vec<u16>) {
    let mut table = base_table(style);
    if fixed.is_none() {
        let cells: Vec<Cell> = headers
            .iter()
            .map(|h| {
                let cell = Cell::new(h.to_uppercase());
                if style.color { cell.add_attribute(Attribute::Bold) } else { cell }
            })
            .collect();
        let mut header = Row::from(cells);
        header.max_height(1);
        table.set_header(header);
    }
    for r in rows {
        let mut row = Row::from(r.iter().map(|c| Cell::new(sanitize(c))).collect::<Vec<_>>());
        row.max_height(1);
        table.add_row(row);
    }
    let header_widths: Vec<u16> =
        headers.iter().map(|h| u16::try_from(h.chars().count()).unwrap_or(u16::MAX)).collect();
    finish(&mut table, &header_widths, whole, fixed)
}

/// One record as `key  value` lines (values may wrap to the terminal width).
pub fn render_record(fields: &[(&str, String)], style: TableStyle) -> String {
    let mut table = base_table(style);
    for (k, v) in fields {
        let key = Cell::new(k).set_alignment(CellAlignment::Left);
        let key = if style.color { key.add_attribute(Attribute::Bold) } else { key };
        table.add_row(vec![key, Cell::new(sanitize(v))]);
    }
    finish(&mut table, &[], &[], None).0
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
    fn bold_header_fits_the_width_too() {
        let t = render_table(&["id", "date", "subject"], &rows(), TableStyle { width: Some(40), color: true });
        let header = t.lines().next().unwrap_or_default();
        assert!(header.contains("\x1b[1m"), "{header:?}");
        for line in t.lines() {
            let visible = line.replace("\x1b[1m", "").replace("\x1b[0m", "");
            assert!(!visible.contains('\x1b'), "{line:?}");
            assert!(visible.chars().count() <= 40, "{visible:?}");
            assert_eq!(visible.trim_end(), visible, "trailing blanks in {line:?}");
        }
    }

    #[test]
    fn later_chunks_keep_the_first_chunks_columns() {
        let style = TableStyle { width: Some(60), color: false };
        let (first, widths) = render_chunk(&["id", "date", "subject"], &rows(), style, &[true, true, false], None);
        let later = vec![vec!["c3".to_string(), "2026-01-03".into(), "x".repeat(200)]];
        let (second, again) =
            render_chunk(&["id", "date", "subject"], &later, style, &[true, true, false], Some(&widths));
        assert_eq!(widths, again);
        assert!(first.starts_with("ID "), "{first}");
        assert!(!second.contains("ID "), "no second header: {second}");
        let col = |t: &str, n: usize| t.lines().nth(n).and_then(|l| l.find("2026")).unwrap_or(0);
        assert_eq!(col(&first, 1), col(&second, 0), "{first}{second}");
        assert!(second.lines().all(|l| l.chars().count() <= 60), "{second}");
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
    fn low_value_columns_go_before_free_text_is_starved() {
        // id, size, dir, text: at 60 the text keeps 20 with everything shown.
        let natural = [16, 7, 3, 40];
        let header = [2, 4, 3, 4];
        let whole = [true, true, true, false];
        assert!(columns_to_drop(&natural, &header, &whole, &[1, 2], 60).is_empty());
        // At 45 the text would get 13: size goes (then 22 is left).
        assert_eq!(columns_to_drop(&natural, &header, &whole, &[1, 2], 45), vec![1]);
        // At 35 both go, and that is all there is to drop.
        assert_eq!(columns_to_drop(&natural, &header, &whole, &[1, 2], 35), vec![1, 2]);
        // Short free text never asks for more than its natural width.
        assert!(columns_to_drop(&[16, 7, 3, 5], &header, &whole, &[1, 2], 40).is_empty());
    }

    #[test]
    fn whole_columns_never_shrink() {
        // id, date, subject: only the subject gives way, first down to its header, then further.
        let whole = [true, true, false];
        assert_eq!(fit_widths_keeping(&[16, 16, 40], &[2, 4, 12], &whole, 50), vec![16, 16, 18]);
        assert_eq!(fit_widths_keeping(&[16, 16, 40], &[2, 4, 12], &whole, 40), vec![16, 16, 8]);
        // Two cuttable columns share the squeeze, widest first.
        assert_eq!(fit_widths_keeping(&[10, 12, 30], &[2, 4, 7], &[true, false, false], 30), vec![10, 10, 10]);
        // Whole columns alone too wide: they stay whole, the rest is cut to the last resort.
        assert_eq!(fit_widths_keeping(&[16, 16, 40], &[2, 4, 12], &whole, 20), vec![16, 16, 2]);
    }

    #[test]
    fn narrow_table_keeps_ids_and_headers_whole() {
        let rows = vec![
            vec!["0123456789abcdef".into(), "2026-01-01 10:00".into(), "+15550002222".into(), "a long text".into()],
            vec!["fedcba9876543210".into(), "2026-01-02 11:00".into(), "+15550003333".into(), "short".into()],
        ];
        let t = render_table_keeping(
            &["id", "date", "peer", "subject/text"],
            &rows,
            TableStyle { width: Some(60), color: false },
            &[true, true, false, false],
        );
        assert_eq!(t.lines().count(), 3, "headers do not wrap:\n{t}");
        assert!(t.lines().next().unwrap().ends_with("SUBJECT/TEXT"), "{t}");
        for id in ["0123456789abcdef", "fedcba9876543210", "2026-01-01 10:00"] {
            assert!(t.contains(id), "{id} cut:\n{t}");
        }
        for line in t.lines() {
            assert!(line.chars().count() <= 60, "{line:?}");
        }
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
