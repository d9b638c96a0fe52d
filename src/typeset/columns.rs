//! Column widths of a table: how the room of a measure is shared among
//! columns that each have a natural width (their longest line unbroken)
//! and a least width (their longest word). One rule for every backend,
//! in any unit: points for PDF, display columns for text.

/// Column widths: each column's natural width when all fit in `room`.
/// Else the columns that ask no more than a fair share get what they ask
/// (a short header or number is not broken) and the others share the rest:
/// each its least width and a part of what is left in proportion to how
/// much more it would take. If even the least widths do not fit, each
/// column gets its part of the room by its least width (the caller reports
/// the overfull line, or refuses the table).
pub fn share(natural: &[f64], least: &[f64], room: f64) -> Vec<f64> {
    if natural.iter().sum::<f64>() <= room {
        return natural.to_vec();
    }
    let least: Vec<f64> = least.iter().zip(natural).map(|(l, n)| l.min(*n)).collect();
    let least_sum: f64 = least.iter().sum();
    if least_sum >= room {
        return least.iter().map(|l| room * l / least_sum.max(f64::MIN_POSITIVE)).collect();
    }
    let mut widths = vec![0.0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = room;
    loop {
        let fair = left / open.len().max(1) as f64;
        let (fit, rest): (Vec<usize>, Vec<usize>) = open.iter().partition(|&&c| natural[c] <= fair);
        if fit.is_empty() {
            break;
        }
        for c in fit {
            widths[c] = natural[c];
            left -= natural[c];
        }
        open = rest;
    }
    if open.iter().map(|&c| least[c]).sum::<f64>() > left {
        // The short columns took too much: share the whole room instead.
        open = (0..natural.len()).collect();
        left = room;
    }
    let spare = left - open.iter().map(|&c| least[c]).sum::<f64>();
    let total: f64 = open.iter().map(|&c| natural[c] - least[c]).sum();
    for &c in &open {
        widths[c] = least[c] + if total > 0.0 { (natural[c] - least[c]) * spare / total } else { 0.0 };
    }
    widths
}

/// [`share`] in whole units (text columns): each width rounded down, and
/// what rounding left over given a unit at a time to the columns that
/// want the most. Never below a column's least width when the least
/// widths fit.
pub fn share_whole(natural: &[usize], least: &[usize], room: usize) -> Vec<usize> {
    let as_f64 = |v: &[usize]| v.iter().map(|&n| n as f64).collect::<Vec<f64>>();
    let shared = share(&as_f64(natural), &as_f64(least), room as f64);
    let mut widths: Vec<usize> = shared.iter().map(|w| (w + 1e-9).floor() as usize).collect();
    let mut over = room.saturating_sub(widths.iter().sum());
    let mut wanting: Vec<usize> = (0..widths.len()).filter(|&c| widths[c] < natural[c]).collect();
    wanting.sort_by_key(|&c| std::cmp::Reverse(natural[c] - widths[c]));
    while over > 0 && !wanting.is_empty() {
        wanting.retain(|&c| widths[c] < natural[c]);
        for &c in &wanting {
            if over == 0 {
                break;
            }
            widths[c] += 1;
            over -= 1;
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_take_what_they_need_within_the_room() {
        assert_eq!(share(&[50.0, 80.0], &[20.0, 30.0], 300.0), vec![50.0, 80.0]);
        let widths = share(&[400.0, 40.0], &[60.0, 30.0], 200.0);
        assert!((widths.iter().sum::<f64>() - 200.0).abs() < 1e-6);
        assert!(widths[1] >= 30.0 && widths[1] <= 40.0 && widths[0] > 100.0, "{widths:?}");
    }

    #[test]
    fn whole_columns_share_the_room_by_what_they_want() {
        assert_eq!(share_whole(&[5, 10], &[3, 4], 40), vec![5, 10]);
        let widths = share_whole(&[40, 10, 60], &[8, 8, 8], 50);
        assert_eq!(widths.iter().sum::<usize>(), 50);
        // The short column keeps its natural width; the long ones share the rest.
        assert!(widths[1] == 10 && widths[2] > widths[0], "{widths:?}");
        assert!(widths.iter().zip([8, 8, 8]).all(|(w, l)| *w >= l));
    }

    #[test]
    fn least_widths_past_the_room_are_scaled_not_a_panic() {
        let widths = share(&[100.0, 100.0], &[60.0, 90.0], 100.0);
        assert!((widths.iter().sum::<f64>() - 100.0).abs() < 1e-6 && widths[1] > widths[0]);
        assert_eq!(share_whole(&[10, 10], &[9, 9], 10).iter().sum::<usize>(), 10);
    }
}
