//! The ISBN's EAN-13 barcode (and an EAN-5 price add-on) as vector bars
//! at the standard size (100 %: 0.33 mm modules, 22.85 mm bars, guard
//! bars 1.65 mm longer), with the human-readable digits under the bars and
//! `ISBN …` above. The bar patterns come from the `barcoders` crate; this
//! module places them.

use barcoders::sym::ean_supp::EANSUPP;
use barcoders::sym::ean13::EAN13;

use crate::model::isbn::Isbn;

const MM: f64 = 72.0 / 25.4;
/// The module (narrowest bar) at 100 % magnification.
pub const MODULE: f64 = 0.33 * MM;
pub const BAR_HEIGHT: f64 = 22.85 * MM;
/// Guard bars reach this far below the others (5 modules).
const GUARD_EXTRA: f64 = 5.0 * MODULE;
/// Quiet zones left and right of the main symbol, and after an add-on.
const QUIET_LEFT: f64 = 11.0 * MODULE;
const QUIET_RIGHT: f64 = 7.0 * MODULE;
const ADDON_GAP: f64 = 9.0 * MODULE;
const ADDON_QUIET: f64 = 5.0 * MODULE;
pub const DIGIT_SIZE: f64 = 9.0;
pub const LABEL_SIZE: f64 = 8.0;

/// A bar: left edge and top (from the block's top left), width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Text of the block: centred on `x` with its baseline at `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub size: f64,
}

/// The barcode block (quiet zones included), to be placed by its top left.
#[derive(Debug, Clone, PartialEq)]
pub struct Barcode {
    pub width: f64,
    pub height: f64,
    pub bars: Vec<Bar>,
    pub labels: Vec<Label>,
}

/// The barcode of `isbn`, with the add-on `price` (five digits) if given.
pub fn barcode(isbn: &Isbn, price: Option<&str>) -> Result<Barcode, String> {
    let main =
        EAN13::new(&isbn.digits).map_err(|e| format!("cannot encode `{}` as EAN-13: {e}", isbn.digits))?;
    let modules = main.encode();
    let top = LABEL_SIZE * 1.35;
    let mut bars = Vec::new();
    // Guard bars: modules 0–2, 45–49 and 92–94 of the 95.
    let guard = |i: usize| i < 3 || (45..50).contains(&i) || i >= 92;
    runs(&modules, QUIET_LEFT, |start, len, i| {
        let extra = if guard(i) { GUARD_EXTRA } else { 0.0 };
        bars.push(Bar { x: start, y: top, width: len, height: BAR_HEIGHT + extra });
    });
    let digit_baseline = top + BAR_HEIGHT + GUARD_EXTRA + DIGIT_SIZE * 0.2;
    let digits: Vec<char> = isbn.digits.chars().collect();
    let mut labels = vec![Label {
        text: digits[0].to_string(),
        x: QUIET_LEFT - 4.0 * MODULE,
        y: digit_baseline,
        size: DIGIT_SIZE,
    }];
    for (n, &d) in digits[1..].iter().enumerate() {
        // Six digits of 7 modules after the 3-module guard, then the 5-module middle guard.
        let first = if n < 6 { 3.0 + 7.0 * n as f64 } else { 50.0 + 7.0 * (n - 6) as f64 };
        let x = QUIET_LEFT + (first + 3.5) * MODULE;
        labels.push(Label { text: d.to_string(), x, y: digit_baseline, size: DIGIT_SIZE });
    }
    let main_width = QUIET_LEFT + 95.0 * MODULE;
    labels.push(Label {
        text: isbn.label.clone(),
        x: QUIET_LEFT + 47.5 * MODULE,
        y: LABEL_SIZE,
        size: LABEL_SIZE,
    });
    let mut width = main_width + QUIET_RIGHT;
    if let Some(price) = price {
        let addon = EANSUPP::new(price).map_err(|e| format!("cannot encode `{price}` as EAN-5: {e}"))?;
        let addon_modules = addon.encode();
        let left = main_width + ADDON_GAP;
        // The add-on's digits sit above its bars, which end with the guards.
        let addon_top = top + DIGIT_SIZE * 1.1;
        let height = top + BAR_HEIGHT + GUARD_EXTRA - addon_top;
        runs(&addon_modules, left, |start, len, _| {
            bars.push(Bar { x: start, y: addon_top, width: len, height });
        });
        for (n, d) in price.chars().enumerate() {
            // A 4-module start, then digits of 7 modules with 2-module separators.
            let x = left + (4.0 + 9.0 * n as f64 + 3.5) * MODULE;
            labels.push(Label { text: d.to_string(), x, y: top + DIGIT_SIZE * 0.8, size: DIGIT_SIZE });
        }
        width = left + addon_modules.len() as f64 * MODULE + ADDON_QUIET;
    }
    Ok(Barcode { width, height: digit_baseline + DIGIT_SIZE * 0.3, bars, labels })
}

/// Call `bar(x, width, first module)` for each run of dark modules.
fn runs(modules: &[u8], left: f64, mut bar: impl FnMut(f64, f64, usize)) {
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let start = i;
            while i < modules.len() && modules[i] == 1 {
                i += 1;
            }
            bar(left + start as f64 * MODULE, (i - start) as f64 * MODULE, start);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_size() {
        let isbn = Isbn { digits: "9780306406157".into(), label: "ISBN 9780306406157".into() };
        let code = barcode(&isbn, None).unwrap();
        // 113 modules with the quiet zones: 37.29 mm at 100 %.
        assert!((code.width / MM - 37.29).abs() < 0.01, "{}", code.width / MM);
        let dark: f64 = code.bars.iter().map(|b| b.width).sum::<f64>() / MODULE;
        // An EAN-13 has 30 bars... of varying width; guards are 3 + 2 + 3 one-module bars.
        assert_eq!(code.bars.iter().filter(|b| b.height > BAR_HEIGHT).count(), 6);
        assert!(dark > 20.0 && dark < 75.0);
        assert_eq!(code.labels.iter().filter(|l| l.size == DIGIT_SIZE).count(), 13);
        let priced = barcode(&isbn, Some("51500")).unwrap();
        assert!(priced.width > code.width + 47.0 * MODULE);
        assert_eq!(priced.labels.len(), code.labels.len() + 5);
    }
}
