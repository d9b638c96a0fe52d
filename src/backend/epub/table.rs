//! Tables as XHTML: a `<thead>` of `<th scope="col">` cells and a
//! `<tbody>` of rows, each column's alignment a class (`align-right`…),
//! since EPUBCheck refuses HTML's old `align` attribute.

use crate::model::{Alignment, Inline, Table};

/// Where a table is written: markup, and a cell's inlines as the chapter
/// writes them (links, notes and spans as anywhere else).
pub trait Cells {
    fn markup(&mut self, text: &str);
    fn cell(&mut self, content: &[Inline]);
}

pub fn write(out: &mut impl Cells, table: &Table) {
    out.markup("<table>\n<thead>\n<tr>");
    for (cell, &alignment) in table.header.iter().zip(&table.alignments) {
        out.markup(&format!("<th scope=\"col\"{}>", class(alignment)));
        out.cell(cell);
        out.markup("</th>");
    }
    out.markup("</tr>\n</thead>\n");
    if !table.rows.is_empty() {
        out.markup("<tbody>\n");
        for row in &table.rows {
            out.markup("<tr>");
            for (cell, &alignment) in row.iter().zip(&table.alignments) {
                out.markup(&format!("<td{}>", class(alignment)));
                out.cell(cell);
                out.markup("</td>");
            }
            out.markup("</tr>\n");
        }
        out.markup("</tbody>\n");
    }
    out.markup("</table>\n");
}

fn class(alignment: Alignment) -> &'static str {
    match alignment {
        Alignment::None => "",
        Alignment::Left => " class=\"align-left\"",
        Alignment::Center => " class=\"align-center\"",
        Alignment::Right => " class=\"align-right\"",
    }
}
