//! The layouts compiled into mimeo, in the order `mimeo layouts` lists them.

macro_rules! layouts {
    ($($name:literal),* $(,)?) => {
        /// `(name, YAML text)` of each built-in layout.
        pub const ALL: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../layouts/", $name, ".yaml")))),*
        ];
    };
}

layouts![
    "a5",
    "a6-pocket",
    "half-letter",
    "a4",
    "letter",
    "a5-print",
    "a6-pocket-print",
    "half-letter-print",
    "a4-print",
    "letter-print",
    "a5-booklet",
    "half-letter-booklet",
    "a6-booklet",
    "minizine-a4",
    "minizine-letter",
    "a5-signatures",
    "a6-4up-cutstack",
    "a6-4up-cutstack-manual",
    "a5-duplex-2up",
    "a6-flyer-4up",
    "a5-flyer-2up",
    "a5-spreads",
    "a5-cover",
    "a5-cover-kdp",
    "a5-cover-kdp-cream",
    "a5-cover-lulu",
    "a5-riso",
    "a5-riso-cover",
    "a5-riso-black",
    "a5-riso-pink",
    "epub",
    "zine-72",
    "zine-64",
    "zine-72-ascii",
    "screen-80",
    "two-column",
    "zine-parallel",
    "epub-parallel",
    "a5-parallel",
    "a5-tete-beche",
];
