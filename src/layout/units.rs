//! Lengths in layout files: `148mm`, `10pt`, `0.5in`, `1.2em`, or a bare
//! number of points.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A length in PostScript points (1/72 inch), or in ems of the body size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    Pt(f64),
    Em(f64),
}

impl Length {
    pub const ZERO: Length = Length::Pt(0.0);

    pub fn mm(mm: f64) -> Length {
        Length::Pt(mm * 72.0 / 25.4)
    }

    /// The length in points, resolving ems against `em` points.
    pub fn to_pt(self, em: f64) -> f64 {
        match self {
            Length::Pt(pt) => pt,
            Length::Em(n) => n * em,
        }
    }

    /// The length in points; ems count as 0 (for page geometry, where an
    /// em makes no sense and the loader rejects it).
    pub fn pt(self) -> f64 {
        match self {
            Length::Pt(pt) => pt,
            Length::Em(_) => 0.0,
        }
    }

    pub fn parse(text: &str) -> Result<Length, String> {
        let text = text.trim();
        let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let value: f64 = number
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a length (try `12mm`, `10pt`, `0.5in`, `1.2em`)"))?;
        if !value.is_finite() || value.abs() > 100_000.0 {
            return Err(format!("`{text}` is out of range"));
        }
        Ok(match unit.trim() {
            "" | "pt" => Length::Pt(value),
            "mm" => Length::mm(value),
            "cm" => Length::mm(value * 10.0),
            "in" => Length::Pt(value * 72.0),
            "pc" => Length::Pt(value * 12.0),
            "em" => Length::Em(value),
            other => {
                return Err(format!("unknown unit `{other}` in `{text}` (use mm, cm, in, pt, pc or em)"));
            }
        })
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Length::Pt(pt) => write!(f, "{pt}pt"),
            Length::Em(em) => write!(f, "{em}em"),
        }
    }
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LengthVisitor;
        impl Visitor<'_> for LengthVisitor {
            type Value = Length;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a length such as `12mm`, `10pt`, `0.5in` or `1.2em`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Length, E> {
                Length::parse(v).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Length, E> {
                Length::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Length, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Length, E> {
                self.visit_f64(v as f64)
            }
        }
        d.deserialize_any(LengthVisitor)
    }
}

impl Serialize for Length {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_to_points() {
        assert_eq!(Length::parse("72").unwrap(), Length::Pt(72.0));
        assert_eq!(Length::parse("1in").unwrap(), Length::Pt(72.0));
        assert!((Length::parse("25.4mm").unwrap().pt() - 72.0).abs() < 1e-9);
        assert_eq!(Length::parse("1.5em").unwrap().to_pt(10.0), 15.0);
        assert!(Length::parse("12 furlongs").is_err());
        assert!(Length::parse("mm").is_err());
    }
}
