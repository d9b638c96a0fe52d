//! `onix.xml`: an ONIX for Books 3.0 message (reference tags), one Product
//! per edition that has an ISBN. Print editions are pamphlets with their
//! page count and trim size; the EPUB is a digital download with its EPUB
//! form detail and the accessibility its own package declares.

use std::fmt::Write as _;
use std::path::Path;

use super::File;
use super::entries::{Catalogue, Edition, Part, Title};
use super::epub::Facts;
use super::markup::escape;
use crate::layout::Format;
use crate::layout::pdf::ImpositionKind;
use crate::model::{ContributorRole, isbn};

pub fn render(catalogue: &Catalogue, out: &Path) -> File {
    let config = &catalogue.config;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<ONIXMessage release=\"3.0\" xmlns=\"http://ns.editeur.org/onix/3.0/reference\">\n");
    let sender = config.publisher.as_deref().unwrap_or(&config.title);
    let sent =
        chrono::DateTime::from_timestamp(catalogue.updated, 0).unwrap_or_default().format("%Y%m%dT%H%MZ");
    let _ = write!(
        xml,
        "  <Header>\n    <Sender>\n      <SenderName>{}</SenderName>\n    </Sender>\n    <SentDateTime>{sent}</SentDateTime>\n  </Header>\n",
        escape(sender)
    );
    let mut products = 0;
    for title in &catalogue.titles {
        // The front matter's ISBN is the one the EPUB carries in its own
        // metadata: it is that edition's unless the manifest gives it one.
        let own = isbn::parse(&title.identifier).and_then(Result::ok).map(|i| i.digits);
        let mut own_used = title.editions.iter().any(|e| e.isbn.is_some() && e.format == Format::Epub);
        for edition in &title.editions {
            let isbn = match (&edition.isbn, edition.format) {
                (Some(given), _) => isbn::parse(given).and_then(Result::ok).map(|i| i.digits),
                (None, Format::Epub) if !own_used => {
                    own_used = true;
                    own.clone()
                }
                _ => None,
            };
            let Some(isbn) = isbn else { continue };
            if matches!(edition.format, Format::Txt) || edition.cover {
                continue;
            }
            let facts =
                super::epub::read(&out.join(&edition.href)).filter(|_| edition.format == Format::Epub);
            product(&mut xml, catalogue, title, edition, &isbn, facts.as_ref());
            products += 1;
        }
    }
    if products == 0 {
        // ONIX's way to say an empty message is meant to be empty.
        xml.push_str("  <NoProduct/>\n");
    }
    xml.push_str("</ONIXMessage>\n");
    File { path: "onix.xml".to_string(), bytes: xml.into_bytes() }
}

fn product(
    xml: &mut String,
    catalogue: &Catalogue,
    title: &Title,
    edition: &Edition,
    isbn: &str,
    facts: Option<&Facts>,
) {
    xml.push_str("  <Product>\n");
    let _ = writeln!(xml, "    <RecordReference>{}:{}</RecordReference>", title.id, escape(&edition.layout));
    xml.push_str("    <NotificationType>03</NotificationType>\n");
    let _ = writeln!(
        xml,
        "    <ProductIdentifier>\n      <ProductIDType>15</ProductIDType>\n      <IDValue>{isbn}</IDValue>\n    </ProductIdentifier>"
    );
    xml.push_str("    <DescriptiveDetail>\n      <ProductComposition>00</ProductComposition>\n");
    match edition.format {
        Format::Epub => {
            xml.push_str(
                "      <ProductForm>ED</ProductForm>\n      <ProductFormDetail>E101</ProductFormDetail>\n",
            );
            // List 220: 101B is EPUB 3.0, what mimeo writes.
            xml.push_str("      <ProductFormFeature>\n        <ProductFormFeatureType>15</ProductFormFeatureType>\n        <ProductFormFeatureValue>101B</ProductFormFeatureValue>\n      </ProductFormFeature>\n");
            for code in accessibility(facts) {
                let _ = writeln!(
                    xml,
                    "      <ProductFormFeature>\n        <ProductFormFeatureType>09</ProductFormFeatureType>\n        <ProductFormFeatureValue>{code}</ProductFormFeatureValue>\n      </ProductFormFeature>"
                );
            }
            if let Some(summary) = facts.and_then(|f| f.summary.as_deref()) {
                let _ = writeln!(
                    xml,
                    "      <ProductFormFeature>\n        <ProductFormFeatureType>09</ProductFormFeatureType>\n        <ProductFormFeatureValue>00</ProductFormFeatureValue>\n        <ProductFormFeatureDescription>{}</ProductFormFeatureDescription>\n      </ProductFormFeature>",
                    escape(summary)
                );
            }
            xml.push_str("      <PrimaryContentType>10</PrimaryContentType>\n");
        }
        _ => {
            xml.push_str("      <ProductForm>BF</ProductForm>\n");
            if edition.imposition == Some(ImpositionKind::Booklet) {
                // Saddle-stitched: folded sheets, stapled through the fold.
                xml.push_str("      <ProductFormDetail>B310</ProductFormDetail>\n");
            }
            xml.push_str("      <PrimaryContentType>10</PrimaryContentType>\n");
            if let Some((width, height)) = edition.trim_mm {
                let _ = write!(
                    xml,
                    "      <Measure>\n        <MeasureType>01</MeasureType>\n        <Measurement>{height}</Measurement>\n        <MeasureUnitCode>mm</MeasureUnitCode>\n      </Measure>\n\
                     \x20     <Measure>\n        <MeasureType>02</MeasureType>\n        <Measurement>{width}</Measurement>\n        <MeasureUnitCode>mm</MeasureUnitCode>\n      </Measure>\n"
                );
            }
        }
    }
    let _ = writeln!(
        xml,
        "      <TitleDetail>\n        <TitleType>01</TitleType>\n        <TitleElement>\n          <TitleElementLevel>01</TitleElementLevel>\n          <TitleText>{}</TitleText>",
        escape(&title.title)
    );
    if let Some(sub) = &title.subtitle {
        let _ = writeln!(xml, "          <Subtitle>{}</Subtitle>", escape(sub));
    }
    xml.push_str("        </TitleElement>\n      </TitleDetail>\n");
    if title.people.is_empty() {
        xml.push_str("      <NoContributor/>\n");
    }
    for (n, person) in title.people.iter().enumerate() {
        let _ = writeln!(
            xml,
            "      <Contributor>\n        <SequenceNumber>{}</SequenceNumber>\n        <ContributorRole>{}</ContributorRole>\n        <PersonName>{}</PersonName>\n      </Contributor>",
            n + 1,
            role(person.part),
            escape(&person.name)
        );
    }
    let _ = writeln!(
        xml,
        "      <Language>\n        <LanguageRole>01</LanguageRole>\n        <LanguageCode>{}</LanguageCode>\n      </Language>",
        language_code(&title.language)
    );
    if let Some(pages) = edition.pages.filter(|_| edition.format == Format::Pdf) {
        // An imposed file's pages are sheet sides, two pages each.
        let pages = if edition.imposition.is_some() { pages * 2 } else { pages };
        let _ = writeln!(
            xml,
            "      <Extent>\n        <ExtentType>00</ExtentType>\n        <ExtentValue>{pages}</ExtentValue>\n        <ExtentUnit>03</ExtentUnit>\n      </Extent>"
        );
    }
    for (n, keyword) in title.keywords.iter().enumerate() {
        let main = if n == 0 { "        <MainSubject/>\n" } else { "" };
        let _ = write!(
            xml,
            "      <Subject>\n{main}        <SubjectSchemeIdentifier>20</SubjectSchemeIdentifier>\n        <SubjectHeadingText>{}</SubjectHeadingText>\n      </Subject>\n",
            escape(keyword)
        );
    }
    xml.push_str("    </DescriptiveDetail>\n");
    if let Some(description) = &title.description {
        let _ = writeln!(
            xml,
            "    <CollateralDetail>\n      <TextContent>\n        <TextType>03</TextType>\n        <ContentAudience>00</ContentAudience>\n        <Text language=\"{}\">{}</Text>\n      </TextContent>\n    </CollateralDetail>",
            language_code(&title.language),
            escape(description)
        );
    }
    xml.push_str("    <PublishingDetail>\n");
    let publisher = title.publisher.as_deref().or(catalogue.config.publisher.as_deref());
    if let Some(publisher) = publisher {
        let _ = writeln!(
            xml,
            "      <Publisher>\n        <PublishingRole>01</PublishingRole>\n        <PublisherName>{}</PublisherName>\n      </Publisher>",
            escape(publisher)
        );
    }
    // 04: active, the edition is available.
    xml.push_str("      <PublishingStatus>04</PublishingStatus>\n");
    let (format, date) = date(title);
    let _ = writeln!(
        xml,
        "      <PublishingDate>\n        <PublishingDateRole>01</PublishingDateRole>\n        <Date{format}>{date}</Date>\n      </PublishingDate>"
    );
    xml.push_str("    </PublishingDetail>\n  </Product>\n");
}

/// ONIX list 17 for a person's part.
fn role(part: Part) -> &'static str {
    match part {
        Part::Interviewer | Part::Moderator => "A43",
        Part::Speaker => "A44",
        Part::Contributor(ContributorRole::Editor) => "B01",
        Part::Contributor(ContributorRole::Translator) => "B06",
        Part::Contributor(ContributorRole::Illustrator) => "A12",
        Part::Contributor(ContributorRole::Designer) => "A11",
        Part::Contributor(ContributorRole::Photographer) => "A13",
        Part::Contributor(_) => "Z99",
    }
}

/// ONIX list 196 for the EPUB's `schema:accessibilityFeature` values.
fn accessibility(facts: Option<&Facts>) -> Vec<&'static str> {
    let Some(facts) = facts else { return Vec::new() };
    let mut codes: Vec<&'static str> = facts
        .features
        .iter()
        .filter_map(|f| match f.as_str() {
            "tableOfContents" => Some("11"),
            "readingOrder" => Some("13"),
            "alternativeText" => Some("14"),
            "displayTransformability" => Some("36"),
            "highContrastDisplay" => Some("26"),
            "printPageNumbers" | "pageBreakMarkers" => Some("19"),
            "pageNavigation" => Some("41"),
            "structuralNavigation" => Some("29"),
            "longDescription" => Some("15"),
            "MathML" => Some("17"),
            _ => None,
        })
        .collect();
    // mimeo's EPUBs carry no DRM: nothing turns a reader's options off.
    codes.push("10");
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The title's date as ONIX wants it: a year (`dateformat="05"`) or a
/// full date; digits in any script (`۲۰۲۰`) read as numbers.
fn date(title: &Title) -> (&'static str, String) {
    let digits: String = title
        .date
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
            '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
            _ => None,
        })
        .collect();
    match digits.len() {
        4 => (" dateformat=\"05\"", digits),
        8 => ("", digits),
        _ => (
            "",
            chrono::DateTime::from_timestamp(title.updated, 0)
                .unwrap_or_default()
                .format("%Y%m%d")
                .to_string(),
        ),
    }
}

/// ONIX list 74 (ISO 639-2/B) for a BCP 47 tag's language.
fn language_code(tag: &str) -> &'static str {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    match primary.as_str() {
        "en" => "eng",
        "fa" => "per",
        "ar" => "ara",
        "ckb" | "ku" => "kur",
        "tr" => "tur",
        "de" => "ger",
        "fr" => "fre",
        "es" => "spa",
        "pt" => "por",
        "it" => "ita",
        "nl" => "dut",
        "el" => "gre",
        "ru" => "rus",
        "uk" => "ukr",
        "pl" => "pol",
        "zh" => "chi",
        "ja" => "jpn",
        "ko" => "kor",
        "he" => "heb",
        "ur" => "urd",
        "hi" => "hin",
        "bn" => "ben",
        "sw" => "swa",
        "id" => "ind",
        "vi" => "vie",
        "tl" => "tgl",
        _ => "und",
    }
}
