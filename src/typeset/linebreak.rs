//! Total-fit line breaking after Knuth and Plass, "Breaking Paragraphs
//! into Lines" (1981), over boxes, glue and penalties.
//!
//! Differences from the paper, each for a reason:
//! - A run of more than `max_hyphen_run` consecutive hyphenated lines is not
//!   discouraged but forbidden: the node state carries the run length.
//! - When no feasible breaks exist (a word wider than the measure), the
//!   best dead node is rescued with an overfull line instead of failing;
//!   callers see `Line::ratio < -1` and can warn.
//! - `looseness` chooses, among feasible solutions, one with that many
//!   more (or fewer) lines, which page breaking uses against widows.
//! - A last line narrower than `runt_width` costs `runt_demerits` (TeX
//!   has no such rule; a paragraph ending on "tion." is what it prevents).

/// One element of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Unbreakable material of a fixed width (a word or part of one).
    Box { width: f64 },
    /// Space that can stretch and shrink; a line may break at glue that
    /// follows a box.
    Glue { width: f64, stretch: f64, shrink: f64 },
    /// A possible break with a cost; `width` is set only when the break is
    /// taken (a hyphen). `flagged` marks hyphen breaks.
    Penalty { width: f64, cost: f64, flagged: bool },
}

/// A penalty at least this high forbids a break; at most its negation forces one.
pub const INFINITY: f64 = 10_000.0;

impl Item {
    pub fn glue(width: f64, stretch: f64, shrink: f64) -> Item {
        Item::Glue { width, stretch, shrink }
    }

    /// A discretionary hyphen: breaking here costs `cost` and shows `width`.
    pub fn hyphen(width: f64, cost: f64) -> Item {
        Item::Penalty { width, cost, flagged: true }
    }

    /// A place where no break may happen (glue that must not break).
    pub fn no_break() -> Item {
        Item::Penalty { width: 0.0, cost: INFINITY, flagged: false }
    }

    /// A break that must happen (end of paragraph, hard line break).
    pub fn forced_break() -> Item {
        Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false }
    }

    /// The natural width the item adds to a line when no break is taken at it.
    fn width(&self) -> f64 {
        match *self {
            Item::Box { width } | Item::Glue { width, .. } => width,
            Item::Penalty { .. } => 0.0,
        }
    }
}

/// Append the end of a paragraph: glue that fills the last line, then a
/// forced break. `fill` is how far the last line may fall short without
/// cost (use the measure for ragged last lines).
pub fn finish(items: &mut Vec<Item>, fill: f64) {
    line_break(items, fill);
}

/// Append a hard line break: like the end of a paragraph, the line before
/// it is filled with glue rather than stretched.
pub fn line_break(items: &mut Vec<Item>, fill: f64) {
    if matches!(items.last(), Some(Item::Glue { .. })) {
        items.pop();
    }
    items.push(Item::no_break());
    items.push(Item::glue(0.0, fill, 0.0));
    items.push(Item::forced_break());
}

/// Tuning of the algorithm; the defaults are TeX's plain values scaled to
/// the paper's recommendations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Largest adjustment ratio accepted (1.0 = glue stretched by its full stretchability).
    pub tolerance: f64,
    /// Added to each line's badness before squaring (TeX's \linepenalty).
    pub line_penalty: f64,
    /// Extra demerits for two hyphenated lines in a row (\doublehyphendemerits).
    pub flagged_demerits: f64,
    /// Extra demerits when neighbouring lines differ by more than one
    /// fitness class (\adjdemerits).
    pub fitness_demerits: f64,
    /// Extra demerits when the second-last line ends with a hyphen (\finalhyphendemerits).
    pub final_hyphen_demerits: f64,
    /// At most this many hyphenated lines in a row.
    pub max_hyphen_run: usize,
    /// Prefer a solution with this many more (positive) or fewer lines.
    pub looseness: i32,
    /// A paragraph's last line narrower than this (its natural width) is a
    /// runt ("tion." alone): it costs `runt_demerits` more. 0: no rule.
    pub runt_width: f64,
    pub runt_demerits: f64,
}

impl Params {
    /// The defaults, usable in constants (`Params { tolerance: 1.0, ..Params::DEFAULT }`).
    pub const DEFAULT: Params = Params {
        tolerance: 2.0,
        line_penalty: 10.0,
        flagged_demerits: 10_000.0,
        fitness_demerits: 10_000.0,
        final_hyphen_demerits: 5_000.0,
        max_hyphen_run: 2,
        looseness: 0,
        runt_width: 0.0,
        runt_demerits: 0.0,
    };
}

impl Default for Params {
    fn default() -> Self {
        Params::DEFAULT
    }
}

/// A line of the result: items `start..end` (the break item at `end` is
/// not part of the line, except for a hyphen penalty's width).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    /// How much the glue is stretched (positive, as a fraction of its
    /// stretchability) or shrunk (negative). Below -1 the line is overfull.
    pub ratio: f64,
    /// The line ends at a hyphen penalty.
    pub hyphenated: bool,
}

#[derive(Clone, Copy)]
struct Node {
    position: usize,
    /// The first item of the line that follows this break.
    start: usize,
    /// The sums before the first item of the line that follows this break,
    /// and that line's measure: fixed per node, so kept here rather than
    /// looked up for every break the node is tried against.
    from: Sums,
    available: f64,
    line: usize,
    fitness: u8,
    hyphen_run: usize,
    demerits: f64,
    ratio: f64,
    previous: Option<usize>,
}

#[derive(Clone, Copy, Default)]
struct Sums {
    width: f64,
    stretch: f64,
    shrink: f64,
}

/// Break `items` (ending with [`finish`]) into lines; `measure(i)` is the
/// width available to line `i` (0-based). Always returns lines: when no
/// solution within tolerance exists, overfull lines are accepted.
pub fn break_lines(items: &[Item], measure: &dyn Fn(usize) -> f64, params: &Params) -> Vec<Line> {
    if items.is_empty() {
        return Vec::new();
    }
    if let Some(lines) = run(items, measure, params, params.tolerance, false) {
        return lines;
    }
    // TeX's second pass: loosen the tolerance; then rescue with overfull lines.
    run(items, measure, params, params.tolerance.max(10.0), false)
        .or_else(|| run(items, measure, params, f64::INFINITY, true))
        .unwrap_or_default()
}

/// One pass at `params.tolerance` and nothing else: `None` when no
/// solution has every line within it. TeX's first pass works like this
/// (at `\pretolerance`, before hyphenating): a caller tries cheap items
/// first and builds richer ones only when this fails.
pub fn break_lines_within(
    items: &[Item],
    measure: &dyn Fn(usize) -> f64,
    params: &Params,
) -> Option<Vec<Line>> {
    if items.is_empty() {
        return Some(Vec::new());
    }
    run(items, measure, params, params.tolerance, false)
}

fn run(
    items: &[Item],
    measure: &dyn Fn(usize) -> f64,
    params: &Params,
    tolerance: f64,
    rescue: bool,
) -> Option<Vec<Line>> {
    // Prefix sums: sums[i] covers items[..i].
    let mut sums = Vec::with_capacity(items.len() + 1);
    let mut total = Sums::default();
    sums.push(total);
    for item in items {
        match *item {
            Item::Box { width } => total.width += width,
            Item::Glue { width, stretch, shrink } => {
                total.width += width;
                total.stretch += stretch;
                total.shrink += shrink;
            }
            Item::Penalty { .. } => {}
        }
        sums.push(total);
    }

    let mut nodes = Vec::with_capacity(items.len() / 2 + 1);
    nodes.push(Node {
        position: 0,
        start: 0,
        from: sums[0],
        available: measure(0),
        line: 0,
        fitness: 1,
        hyphen_run: 0,
        demerits: 0.0,
        ratio: 0.0,
        previous: None,
    });
    let mut active: Vec<usize> = vec![0];
    let keyed_by_line = params.looseness != 0;
    // Reused for every break, to spare an allocation each.
    let mut candidates: Vec<Node> = Vec::new();
    let mut survivors: Vec<usize> = Vec::new();

    for (b, item) in items.iter().enumerate() {
        let (penalty, flagged, break_width) = match *item {
            Item::Penalty { width, cost, flagged } if cost < INFINITY => (cost, flagged, width),
            Item::Glue { .. } if b > 0 && matches!(items[b - 1], Item::Box { .. }) => (0.0, false, 0.0),
            _ => continue,
        };
        let forced = penalty <= -INFINITY;
        let here = sums[b];
        // Best new node per (fitness, hyphen run, line if keyed).
        candidates.clear();
        survivors.clear();
        let mut best_dead: Option<(f64, usize, f64)> = None;
        for &a in &active {
            let node = &nodes[a];
            // No box since that break: a line here would be empty (and end
            // before it starts), so the node waits for a later break.
            if node.start > b {
                survivors.push(a);
                continue;
            }
            let width = here.width - node.from.width + break_width;
            let stretch = here.stretch - node.from.stretch;
            // Most active nodes start lines still too short to reach this
            // break within tolerance: they stay active, and need no more work.
            let slack = node.available - width;
            if !forced && slack > 1e-9 && stretch > 0.0 && slack > tolerance * stretch {
                survivors.push(a);
                continue;
            }
            let shrink = here.shrink - node.from.shrink;
            let ratio = adjustment_ratio(width, stretch, shrink, node.available);
            let keep = ratio >= -1.0 && !forced;
            if keep {
                survivors.push(a);
            } else if best_dead.is_none_or(|(d, _, _)| node.demerits < d) {
                best_dead = Some((node.demerits, a, ratio));
            }
            if ratio < -1.0 || ratio > tolerance {
                continue;
            }
            let hyphen_run = if flagged { node.hyphen_run + 1 } else { 0 };
            if hyphen_run > params.max_hyphen_run {
                continue;
            }
            let mut demerits = node.demerits
                + line_demerits(params, ratio, penalty, flagged, node, fitness_class(ratio), items, b);
            // A runt: the last line of a paragraph of several, too short.
            if b == items.len() - 1 && node.line > 0 && width < params.runt_width {
                demerits += params.runt_demerits;
            }
            let start = after_break(items, b);
            let candidate = Node {
                position: b,
                start,
                from: sums[start],
                available: measure(node.line + 1),
                line: node.line + 1,
                fitness: fitness_class(ratio),
                hyphen_run,
                demerits,
                ratio,
                previous: Some(a),
            };
            offer(&mut candidates, candidate, keyed_by_line);
        }
        if candidates.is_empty() && survivors.is_empty() && rescue {
            // Nothing fits: break here anyway, from the best node that died.
            if let Some((_, a, ratio)) = best_dead {
                let node = nodes[a];
                let start = after_break(items, b);
                candidates.push(Node {
                    position: b,
                    start,
                    from: sums[start],
                    available: measure(node.line + 1),
                    line: node.line + 1,
                    fitness: 1,
                    hyphen_run: 0,
                    demerits: node.demerits + 1e9,
                    ratio,
                    previous: Some(a),
                });
            }
        }
        std::mem::swap(&mut active, &mut survivors);
        for candidate in candidates.drain(..) {
            nodes.push(candidate);
            active.push(nodes.len() - 1);
        }
        if active.is_empty() {
            return None;
        }
    }

    // The paragraph ends with a forced break, so the active nodes all end there.
    let last = items.len() - 1;
    let finals: Vec<usize> = active.iter().copied().filter(|&a| nodes[a].position == last).collect();
    let best = *finals.iter().min_by(|&&x, &&y| nodes[x].demerits.total_cmp(&nodes[y].demerits))?;
    let chosen = if params.looseness == 0 {
        best
    } else {
        let target = nodes[best].line as i64 + i64::from(params.looseness);
        *finals
            .iter()
            .min_by(|&&x, &&y| {
                let dx = (nodes[x].line as i64 - target).abs();
                let dy = (nodes[y].line as i64 - target).abs();
                dx.cmp(&dy).then(nodes[x].demerits.total_cmp(&nodes[y].demerits))
            })
            .unwrap_or(&best)
    };

    let mut lines = Vec::new();
    let mut cursor = chosen;
    while let Some(previous) = nodes[cursor].previous {
        let node = nodes[cursor];
        lines.push(Line {
            start: nodes[previous].start,
            end: node.position,
            ratio: node.ratio,
            hyphenated: matches!(items[node.position], Item::Penalty { flagged: true, .. }),
        });
        cursor = previous;
    }
    lines.reverse();
    Some(lines)
}

/// Keep only the best candidate per class.
fn offer(candidates: &mut Vec<Node>, candidate: Node, keyed_by_line: bool) {
    let same = |n: &Node| {
        n.fitness == candidate.fitness
            && n.hyphen_run == candidate.hyphen_run
            && (!keyed_by_line || n.line == candidate.line)
    };
    match candidates.iter_mut().find(|n| same(n)) {
        Some(existing) if candidate.demerits < existing.demerits => *existing = candidate,
        Some(_) => {}
        None => candidates.push(candidate),
    }
}

/// The first item of a line that follows a break at `position`: glue and
/// penalties after a break are discarded, up to the next box.
fn after_break(items: &[Item], position: usize) -> usize {
    let mut i = position;
    // The break item itself is never part of the next line.
    i += 1;
    while i < items.len() {
        match items[i] {
            Item::Box { .. } => break,
            Item::Penalty { cost, .. } if cost <= -INFINITY => break,
            _ => i += 1,
        }
    }
    i
}

fn adjustment_ratio(width: f64, stretch: f64, shrink: f64, available: f64) -> f64 {
    let slack = available - width;
    if slack.abs() < 1e-9 {
        0.0
    } else if slack > 0.0 {
        if stretch > 0.0 { slack / stretch } else { f64::INFINITY }
    } else if shrink > 0.0 {
        slack / shrink
    } else {
        f64::NEG_INFINITY
    }
}

fn fitness_class(ratio: f64) -> u8 {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

#[allow(clippy::too_many_arguments)]
fn line_demerits(
    params: &Params,
    ratio: f64,
    penalty: f64,
    flagged: bool,
    from: &Node,
    fitness: u8,
    items: &[Item],
    b: usize,
) -> f64 {
    let badness = (100.0 * ratio.abs().powi(3)).min(INFINITY);
    let mut demerits = (params.line_penalty + badness).powi(2);
    if penalty >= 0.0 {
        demerits += penalty * penalty;
    } else if penalty > -INFINITY {
        demerits -= penalty * penalty;
    }
    let from_flagged = from.hyphen_run > 0;
    if flagged && from_flagged {
        demerits += params.flagged_demerits;
    }
    // A hyphen at the end of the second-last line.
    if from_flagged && b == items.len() - 1 {
        demerits += params.final_hyphen_demerits;
    }
    if (i16::from(fitness) - i16::from(from.fitness)).abs() > 1 {
        demerits += params.fitness_demerits;
    }
    demerits
}

/// The width of line `line`'s content at its ratio: the sum of boxes and
/// glue (adjusted), plus the hyphen if it ends at one.
pub fn line_width(items: &[Item], line: &Line) -> f64 {
    let mut width = 0.0;
    for item in &items[line.start..line.end] {
        width += match *item {
            Item::Glue { width, stretch, shrink } => glue_width(width, stretch, shrink, line.ratio),
            ref other => other.width(),
        };
    }
    if let Some(Item::Penalty { width: w, .. }) = items.get(line.end) {
        width += w;
    }
    width
}

/// The set width of one glue at an adjustment ratio.
pub fn glue_width(width: f64, stretch: f64, shrink: f64, ratio: f64) -> f64 {
    if ratio >= 0.0 { width + ratio * stretch } else { width + ratio.max(-1.0) * shrink }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of the given widths separated by unit spaces (stretch 0.5,
    /// shrink 0.33), finished as a paragraph.
    fn paragraph(words: &[f64]) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &w) in words.iter().enumerate() {
            if i > 0 {
                items.push(Item::glue(1.0, 0.5, 0.33));
            }
            items.push(Item::Box { width: w });
        }
        finish(&mut items, 1000.0);
        items
    }

    fn widths(items: &[Item], lines: &[Line]) -> Vec<f64> {
        lines.iter().map(|l| line_width(items, l)).collect()
    }

    #[test]
    fn every_line_but_the_last_fills_the_measure() {
        let words: Vec<f64> = (0..60).map(|i| 3.0 + (i * 7 % 5) as f64).collect();
        let items = paragraph(&words);
        let lines = break_lines(&items, &|_| 30.0, &Params::default());
        assert!(lines.len() > 5);
        for (line, w) in lines.iter().zip(widths(&items, &lines)).take(lines.len() - 1) {
            assert!((w - 30.0).abs() < 1e-6, "line {line:?} is {w} wide");
            assert!(line.ratio >= -1.0 && line.ratio <= 2.0);
        }
    }

    #[test]
    fn total_fit_is_never_worse_than_first_fit() {
        // First fit: fill each line as far as it goes, then justify.
        fn first_fit_cost(words: &[f64], measure: f64) -> f64 {
            let mut cost = 0.0;
            let (mut width, mut gaps) = (0.0, 0usize);
            for &w in words {
                let next = if gaps == 0 && width == 0.0 { w } else { width + 1.0 + w };
                if next > measure && width > 0.0 {
                    cost += ((measure - width) / (gaps as f64 * 0.5)).powi(2);
                    (width, gaps) = (w, 0);
                } else {
                    if width > 0.0 {
                        gaps += 1;
                    }
                    width = next;
                }
            }
            cost
        }
        for seed in 1..20u64 {
            let words: Vec<f64> =
                (0..120u64).map(|i| 2.0 + ((i * 2654435761 + seed * 97) % 9) as f64).collect();
            let items = paragraph(&words);
            let lines = break_lines(&items, &|_| 40.0, &Params::default());
            let cost: f64 = lines[..lines.len() - 1].iter().map(|l| l.ratio.powi(2)).sum();
            assert!(cost <= first_fit_cost(&words, 40.0) + 1e-9, "seed {seed}");
        }
    }

    #[test]
    fn an_overlong_word_gives_an_overfull_line_not_a_failure() {
        let items = paragraph(&[5.0, 50.0, 5.0]);
        let lines = break_lines(&items, &|_| 20.0, &Params::default());
        assert!(!lines.is_empty());
        assert!(lines.iter().any(|l| l.ratio < -1.0));
        // All content is covered exactly once.
        assert_eq!(lines.first().unwrap().start, 0);
    }

    #[test]
    fn no_more_than_two_hyphens_in_a_row() {
        // Words that can only fit by hyphenating every line.
        let mut items = Vec::new();
        for i in 0..40 {
            if i > 0 {
                items.push(Item::glue(1.0, 0.2, 0.2));
            }
            items.push(Item::Box { width: 6.0 });
            items.push(Item::hyphen(1.0, 50.0));
            items.push(Item::Box { width: 6.0 });
        }
        finish(&mut items, 1000.0);
        let lines = break_lines(&items, &|_| 20.0, &Params::default());
        let mut run = 0;
        for line in &lines {
            run = if line.hyphenated { run + 1 } else { 0 };
            assert!(run <= 2, "three hyphenated lines in a row");
        }
    }

    #[test]
    fn looseness_changes_the_line_count() {
        let words: Vec<f64> = (0..200).map(|i| 3.0 + (i * 7 % 4) as f64).collect();
        let items = paragraph(&words);
        let normal = break_lines(&items, &|_| 60.0, &Params::default()).len();
        let looser = break_lines(&items, &|_| 60.0, &Params { looseness: 1, ..Params::default() }).len();
        let tighter = break_lines(&items, &|_| 60.0, &Params { looseness: -1, ..Params::default() }).len();
        assert_eq!(looser, normal + 1);
        assert!(tighter <= normal, "asking for fewer lines never gives more");
    }

    #[test]
    fn a_runt_last_line_is_avoided_when_it_can_be() {
        let runt = Params { runt_width: 4.0, runt_demerits: 1e7, ..Params::default() };
        let (mut found, mut avoided) = (0, 0);
        for seed in 0..200u64 {
            let count = 10 + seed % 37;
            let words: Vec<f64> = (0..count).map(|i| 1.0 + ((i * 7 + seed * 13) % 3) as f64).collect();
            let items = paragraph(&words);
            let plain = break_lines(&items, &|_| 30.0, &Params::default());
            let last = |lines: &[Line]| {
                let l = lines.last().unwrap();
                items[l.start..l.end].iter().map(Item::width).sum::<f64>()
            };
            if last(&plain) >= 4.0 {
                continue;
            }
            found += 1;
            let fixed = break_lines(&items, &|_| 30.0, &runt);
            if last(&fixed) >= 4.0 {
                avoided += 1;
            }
            // Never at the price of an overfull line.
            assert!(fixed.iter().all(|l| l.ratio >= -1.0), "seed {seed}");
        }
        assert!(found > 5 && avoided * 4 >= found * 3, "{avoided} of {found} runts avoided");
    }

    #[test]
    fn within_tolerance_or_nothing() {
        let words: Vec<f64> = (0..60).map(|i| 3.0 + (i * 7 % 5) as f64).collect();
        let items = paragraph(&words);
        let lines = break_lines_within(&items, &|_| 30.0, &Params::default()).unwrap();
        assert_eq!(lines, break_lines(&items, &|_| 30.0, &Params::default()));
        // A word wider than the measure has no solution within tolerance.
        let items = paragraph(&[5.0, 50.0, 5.0]);
        assert!(break_lines_within(&items, &|_| 20.0, &Params::default()).is_none());
        let strict = Params { tolerance: 0.01, ..Params::default() };
        assert!(break_lines_within(&paragraph(&words), &|_| 30.0, &strict).is_none());
    }

    #[test]
    fn a_forced_break_ends_a_line() {
        let mut items = vec![Item::Box { width: 5.0 }];
        line_break(&mut items, 1000.0);
        items.push(Item::Box { width: 5.0 });
        finish(&mut items, 1000.0);
        let lines = break_lines(&items, &|_| 100.0, &Params::default());
        assert_eq!(lines.len(), 2);
    }

    /// Boxes, glue and penalties in any order (the shapes composers make:
    /// a note mark, then a penalty, then a word wider than the measure).
    fn any_item() -> impl proptest::strategy::Strategy<Value = Item> {
        use proptest::prelude::*;
        prop_oneof![
            (0.0..80.0f64).prop_map(|width| Item::Box { width }),
            (0.0..5.0f64, 0.0..3.0f64).prop_map(|(width, stretch)| Item::glue(width, stretch, width * 0.4)),
            (0.0..3.0f64, -100.0..100.0f64, any::<bool>()).prop_map(|(width, cost, flagged)| Item::Penalty {
                width,
                cost,
                flagged
            }),
        ]
    }

    proptest::proptest! {
        /// Whatever the items, lines run in order, none ends before it
        /// starts, and together they reach the paragraph's end.
        #[test]
        fn lines_run_in_order_over_any_items(
            mut items in proptest::collection::vec(any_item(), 0..40),
            measure in 1.0..60.0f64,
            ragged in proptest::prelude::any::<bool>(),
        ) {
            finish(&mut items, if ragged { measure } else { 1000.0 });
            let lines = break_lines(&items, &|_| measure, &Params::default());
            proptest::prop_assert!(!lines.is_empty());
            let mut previous_end = 0;
            for line in &lines {
                proptest::prop_assert!(line.start <= line.end, "{line:?} in {lines:?}");
                proptest::prop_assert!(line.start >= previous_end, "{line:?} in {lines:?}");
                previous_end = line.end;
            }
            proptest::prop_assert_eq!(previous_end, items.len() - 1);
        }
    }
}
