//! Paragraph segmentation of raw articles: scraped web pages as text, plain text with
//! blank or single line breaks, Markdown and simple HTML.
//!
//! The rules, in the order they run:
//! 1. HTML (a `<p>`, `<br>` or `<div>` tag is present) is reduced to text: `script`,
//!    `style`, `nav`, `header`, `footer` and `aside` elements are dropped with their
//!    content, block tags end a paragraph, other tags are removed, entities decoded.
//! 2. Blocks are separated by blank lines. Inside a block, Markdown headings (`#`) and
//!    list items (`-`, `*`, `+`, `•`, `1.`) stand alone. Other lines are joined into one
//!    paragraph when the block is hard-wrapped (no line over 100 characters); otherwise
//!    each line is its own paragraph (text with one paragraph per line).
//! 3. Markdown markup is removed: heading and quote markers, emphasis, `[text](link)`.
//! 4. A candidate is kept as a real paragraph only if it has at least 10 words, ends
//!    like a sentence (`.`, `!` or `?`, maybe followed by closing quotes or brackets and
//!    footnote references such as `[1]`), or, when it does not, has at least 40 words
//!    and a sentence break inside (prose whose last full stop was lost), is not a
//!    teaser cut off with `...` (lists of other headlines), and is not page
//!    furniture or an author biography (see [`is_boilerplate`]). This drops navigation,
//!    headings, bylines, dates, captions, "Related stories", "Continue Reading" and
//!    comment forms, which never end like a sentence or are too short.

use std::borrow::Cow;

/// A real paragraph of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Its text, with runs of white space collapsed to one space.
    pub text: String,
    /// The 1-based line of the source on which it starts.
    pub line: usize,
}

/// Fewest words a real paragraph has.
const MIN_WORDS: usize = 10;
/// Longest line of a hard-wrapped block.
const WRAP_WIDTH: usize = 100;

/// Splits an article into its real paragraphs, in order.
pub fn segment(text: &str) -> Vec<Paragraph> {
    let blocks = if looks_like_html(text) { html_blocks(text) } else { text_blocks(text) };
    blocks
        .into_iter()
        .filter_map(|(raw, line)| {
            let text = clean_markdown(&collapse_whitespace(&raw));
            is_real_paragraph(&text).then_some(Paragraph { text, line })
        })
        .collect()
}

fn looks_like_html(text: &str) -> bool {
    let head = &text[..floor_char_boundary(text, 64 * 1024)];
    let lower = head.to_ascii_lowercase();
    ["<p>", "<p ", "<br", "<div", "<html", "</p>"].iter().any(|t| lower.contains(t))
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Blocks of plain text or Markdown, each with its first line number.
fn text_blocks(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut block: Vec<(&str, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            flush_block(&mut block, &mut out);
        } else {
            block.push((line, i + 1));
        }
    }
    flush_block(&mut block, &mut out);
    out
}

fn is_markdown_item(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with('#') || t.starts_with("• ") {
        return true;
    }
    if let Some(rest) = t.strip_prefix(['-', '*', '+']) {
        return rest.starts_with(' ');
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits < 4 && t[digits..].starts_with(". ")
}

fn flush_block(block: &mut Vec<(&str, usize)>, out: &mut Vec<(String, usize)>) {
    if block.is_empty() {
        return;
    }
    // A line of at most WRAP_WIDTH bytes has at most as many characters.
    let wrapped = block.iter().all(|(l, _)| l.len() <= WRAP_WIDTH || l.chars().nth(WRAP_WIDTH).is_none());
    let mut current: Option<(String, usize)> = None;
    for &(line, number) in block.iter() {
        let standalone = is_markdown_item(line) || !wrapped;
        if standalone {
            out.extend(current.take());
            out.push((line.to_string(), number));
        } else {
            match &mut current {
                Some((text, _)) => {
                    text.push(' ');
                    text.push_str(line);
                }
                None => current = Some((line.to_string(), number)),
            }
        }
    }
    out.extend(current);
    block.clear();
}

/// Blocks of an HTML page, each with the line on which it starts.
fn html_blocks(html: &str) -> Vec<(String, usize)> {
    const DROP: [&str; 6] = ["script", "style", "nav", "header", "footer", "aside"];
    const BLOCK: [&str; 22] = [
        "p",
        "br",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "td",
        "section",
        "article",
        "blockquote",
        "main",
        "title",
        "figcaption",
        "hr",
    ];
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start_line = 1;
    let mut line = 1;
    let mut rest = html;
    let mut skip_until: Option<String> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                push_text(&mut current, &mut start_line, line, rest);
            }
            break;
        };
        let (text, after) = rest.split_at(lt);
        if skip_until.is_none() {
            push_text(&mut current, &mut start_line, line, text);
        }
        line += text.matches('\n').count();
        let Some(gt) = after.find('>') else { break };
        let tag = &after[1..gt];
        line += tag.matches('\n').count();
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = &skip_until {
            if closing && &name == until {
                skip_until = None;
            }
            continue;
        }
        if !closing && DROP.contains(&name.as_str()) && !tag.ends_with('/') {
            skip_until = Some(name);
            continue;
        }
        if BLOCK.contains(&name.as_str()) && !current.trim().is_empty() {
            out.push((std::mem::take(&mut current), start_line));
        }
    }
    if !current.trim().is_empty() {
        out.push((current, start_line));
    }
    for (text, _) in &mut out {
        *text = decode_entities(text);
    }
    out
}

fn push_text(current: &mut String, start_line: &mut usize, line: usize, text: &str) {
    if current.trim().is_empty() {
        let leading_newlines = text.len() - text.trim_start().len();
        *start_line = line + text[..leading_newlines].matches('\n').count();
    }
    current.push_str(text);
    current.push(' ');
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[..floor_char_boundary(rest, 12)].find(';');
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "rdquo" => Some('”'),
                "ldquo" => Some('“'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse_whitespace(text: &str) -> Cow<'_, str> {
    if is_collapsed(text) {
        return Cow::Borrowed(text);
    }
    // What `split_whitespace` and a join would give, scanning bytes: ASCII whitespace by
    // table, and only the lead bytes of the few non-ASCII whitespace characters decoded.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let space_len = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = text[i..].chars().next().expect("a lead byte starts a character");
                if c.is_whitespace() {
                    c.len_utf8()
                } else {
                    0
                }
            }
            _ => 0,
        };
        if space_len > 0 {
            if let Some(start) = word_start.take() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[start..i]);
            }
            i += space_len;
        } else {
            if word_start.is_none() {
                word_start = Some(i);
            }
            i += 1;
        }
    }
    if let Some(start) = word_start {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    Cow::Owned(out)
}

/// Whether `text` is already what [`collapse_whitespace`] would make of it: words joined
/// by single ASCII spaces, none at either end. Most lines of text are.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut previous_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if previous_space => return false,
            b' ' => previous_space = true,
            b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => return false,
            0xC2 | 0xE1 | 0xE2 | 0xE3 if text[i..].chars().next().is_some_and(char::is_whitespace) => return false,
            _ => previous_space = false,
        }
    }
    true
}

/// Removes Markdown markup from one collapsed line of text.
fn clean_markdown(text: &str) -> String {
    let mut t = text.trim_start_matches('#').trim_start();
    while let Some(rest) = t.strip_prefix('>') {
        t = rest.trim_start();
    }
    // Emphasis markers and links; `_` inside words (snake_case) is left alone.
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    // Offset in `t` of the next "](" at or after `rest`, found once and reused, so text
    // full of brackets stays linear.
    let mut next_close: Option<usize> = None;
    while !rest.is_empty() {
        // Text up to the next possible markup is copied as it is, in one piece.
        let plain = memchr::memchr3(b'*', b'_', b'[', rest.as_bytes()).unwrap_or(rest.len());
        if plain > 0 {
            out.push_str(&rest[..plain]);
            rest = &rest[plain..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("**").or_else(|| rest.strip_prefix("__")) {
            rest = r;
            continue;
        }
        if rest.starts_with('[') {
            let here = t.len() - rest.len();
            if next_close.is_none_or(|c| c < here) {
                next_close = rest.find("](").map(|i| here + i).or(Some(usize::MAX));
            }
            // A link's text is short: at most 512 bytes between `[` and `](`.
            if let Some(close) = next_close.filter(|&c| c != usize::MAX && c - here <= 512).map(|c| c - here) {
                if let Some(paren) = rest[close..].bytes().take(1024).position(|b| b == b')') {
                    out.push_str(&rest[1..close]);
                    rest = &rest[close + paren + 1..];
                    continue;
                }
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn is_real_paragraph(text: &str) -> bool {
    if !more_words_than(text, MIN_WORDS - 1) {
        return false;
    }
    let trimmed = trim_footnote_marks(text).trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_']);
    if trimmed.ends_with("...") || trimmed.ends_with('…') {
        return false;
    }
    let ends_like_a_sentence = trimmed.ends_with(['.', '!', '?']);
    let long_prose = more_words_than(text, UNENDED_MIN_WORDS - 1) && has_sentence_break(text);
    if !ends_like_a_sentence && !long_prose {
        return false;
    }
    !is_boilerplate(text)
}

/// Fewest words of a paragraph kept without a closing full stop: long enough to be
/// prose, not a headline or a menu, and it must also break between sentences inside.
const UNENDED_MIN_WORDS: usize = 40;

/// `text` without trailing footnote references: `[1]`, `(2)`, `[12]`, `¹`.
fn trim_footnote_marks(text: &str) -> &str {
    let mut t = text.trim_end();
    loop {
        let before = t;
        t = t.trim_end_matches(['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰']).trim_end();
        for (open, close) in [('[', ']'), ('(', ')')] {
            if let Some(inner) = t.strip_suffix(close) {
                if let Some(at) = inner.rfind(open) {
                    let number = &inner[at + 1..];
                    if (1..=3).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()) {
                        t = inner[..at].trim_end();
                    }
                }
            }
        }
        if t.len() == before.len() {
            return t;
        }
    }
}

/// Whether a sentence ends inside `text`: `.`, `!` or `?`, a space, then a capital.
fn has_sentence_break(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ' && w[2].is_ascii_uppercase())
}

/// Page furniture that can end like a sentence, and author biographies.
fn is_boilerplate(text: &str) -> bool {
    const PREFIXES: [&str; 16] = [
        "disclaimer:",
        "note: this article",
        "leave a reply",
        "please enter your",
        "you have entered an incorrect",
        "save my name",
        "related stories",
        "continue reading",
        "read more",
        "copyright",
        "all rights reserved",
        "subscribe",
        "sign up",
        "follow us",
        "share this",
        "this article was originally published",
    ];
    // The prefixes are ASCII, so comparing the first bytes without case is the same as
    // lower-casing the paragraph first, without the copy.
    if PREFIXES.iter().any(|p| text.as_bytes().get(..p.len()).is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))) {
        return true;
    }
    // A biography is short; only then is the paragraph worth lower-casing.
    !more_words_than(text, BIO_MAX_WORDS) && is_author_bio(&text.to_lowercase())
}

/// Whether `text` has more than `n` words. For collapsed text, whose only whitespace is
/// the ASCII space, this counts what `split_whitespace` would, in one pass over bytes.
fn more_words_than(text: &str, n: usize) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        if b.is_ascii_whitespace() || b == 0x0B {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > n {
                return true;
            }
        }
    }
    false
}

/// Longest paragraph, in words, taken for an author biography.
const BIO_MAX_WORDS: usize = 60;

/// "Jane Doe is a senior fellow at ..." near 60 words or fewer.
fn is_author_bio(lower: &str) -> bool {
    const ROLES: [&str; 14] = [
        "professor",
        "researcher",
        "fellow",
        "analyst",
        "journalist",
        "student",
        "author",
        "editor",
        "writer",
        "lecturer",
        "scholar",
        "correspondent",
        "director",
        "phd",
    ];
    let Some(is) = lower.find(" is a").or_else(|| lower.find(", is ")) else {
        return false;
    };
    // The subject is a short name: at most five words before "is".
    let subject_words = lower[..is].split_whitespace().count();
    subject_words <= 5 && ROLES.iter().any(|r| lower[is..].contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_scans_agree_with_the_standard_library() {
        let cases = [
            "",
            " ",
            "one",
            "one two",
            " one  two ",
            "one\ttwo\r\nthree\x0Bfour\x0Cfive",
            "no\u{a0}break\u{2028}line\u{3000}ideographic\u{1680}ogham\u{85}next\u{205f}math",
            "Kazakhstan’s “quoted” words — and ° signs « » stay",
            "  Қазақстан   Республикасы\u{2009}thin ",
        ];
        for text in cases {
            let words: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(collapse_whitespace(text), words.join(" "), "{text:?}");
            assert_eq!(is_collapsed(text), text == words.join(" "), "{text:?}");
            let collapsed = collapse_whitespace(text);
            for n in 0..8 {
                assert_eq!(more_words_than(&collapsed, n), words.len() > n, "{text:?} {n}");
            }
        }
    }

    fn texts(input: &str) -> Vec<String> {
        segment(input).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn drops_page_furniture_from_a_scraped_page() {
        // The opening and closing furniture of seeds/000.
        let page = "Sunday, April 28, 2024\nHomeNewsFinanceKazakhstan and Malaysia Think Tanks Join Forces\n\n\
            Related stories\n\nClimate Crisis in China: Study Forecasts Regional Disruptions\n\n\
            In recent years, the discourse surrounding climate change has...\n\n\
            Building Strategic Partnerships:\n\n\
            Diplomatic relations between Kazakhstan and Malaysia were established in 1992, shortly after Kazakhstan gained independence.\n\n\
            M Moiz\nM Moiz\nM Moiz, is Research Student at Islamabad research Institute and work with THE THINK TANK JOURNAL\n\n\
            LEAVE A REPLY\n\nPlease enter your comment!\nPlease enter your name here\n";
        assert_eq!(
            segment(page),
            [Paragraph {
                text: "Diplomatic relations between Kazakhstan and Malaysia were established in 1992, shortly after Kazakhstan gained independence.".into(),
                line: 12
            }]
        );
    }

    #[test]
    fn one_paragraph_per_line_is_split() {
        let long = "Pakistan and Kazakhstan are two of the most important members of the Central and South Asian geo-economic matrix, sharing centuries-old historical ties and fraternal bonds.";
        let input = format!("Newspaper Article 5 hours ago\n{long}\n{long}\nDisclaimer: The views expressed in the article are of the author and do not necessarily represent Institute’s policy.\n");
        let got = segment(&input);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].line, got[1].line), (2, 3));
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let input = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects.\n";
        assert_eq!(
            texts(input),
            ["Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early January and improving prospects."]
        );
    }

    #[test]
    fn footnote_marks_and_a_lost_full_stop_keep_a_paragraph() {
        let ended = "Russia's 201st base already controls much of the border with Tajikistan, the report says.";
        for tail in ["[1]", " [12]", " (2)", "¹", "[1][2]"] {
            assert_eq!(texts(&format!("{ended}{tail}")).len(), 1, "{tail}");
        }
        // Not a footnote: a bracketed word after no full stop.
        assert!(texts("Russia's 201st base already controls much of the border with Tajikistan (report)").is_empty());
        let long = "Emomali Rahmon and Shavkat Mirziyoyev have met several times since September 2016 and signed agreements on trade, energy, water, transport and security. \
            One of the agreements signed in Dushanbe last year was a deal enabling nationals of both countries to visit each other for up to 30 days without obtaining visa";
        assert_eq!(texts(long).len(), 1);
        // As long, but no sentence inside: a menu or a run of headlines.
        let menu = ["Home News World Business Sport"; 10].join(" ");
        assert!(texts(&menu).is_empty());
        // A short paragraph without a full stop is still a headline.
        assert!(
            texts("Tajikistan and Uzbekistan sign agreements. Leaders meet in Dushanbe for talks on water").is_empty()
        );
    }

    #[test]
    fn author_bio_and_teasers_are_dropped() {
        assert!(texts("Paulo Afonso Brardo Duarte is a Professor at the Universida de Lusófona do Porto and a visiting researcher.").is_empty());
        assert!(texts("This week, Artel Electronics LLC (Artel), Central Asia’s largest home appliance and electronics manufacturer, has become an official participant of...").is_empty());
    }

    #[test]
    fn markdown_headings_lists_and_links() {
        let md = "# Kazakhstan and Malaysia\n\n## Building partnerships\n\
            The two countries signed **seven** agreements on [trade](https://example.org/a) and education during the visit.\n\n\
            - Other headline one\n- Other headline two\n";
        assert_eq!(texts(md), ["The two countries signed seven agreements on trade and education during the visit."]);
    }

    #[test]
    fn simple_html_with_entities() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\n<nav><p>Home &amp; News and everything else in the menu bar of the site.</p></nav>\n\
            <h1>Heading</h1>\n<p>Kazakhstan&#8217;s trade with Malaysia grew by 30&nbsp;per cent last year, the prime minister said.</p>\n\
            <p>A second paragraph about the visit of the prime minister to Astana &amp; Almaty.</p></body></html>";
        let got = segment(html);
        assert_eq!(
            got.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
            [
                "Kazakhstan’s trade with Malaysia grew by 30 per cent last year, the prime minister said.",
                "A second paragraph about the visit of the prime minister to Astana & Almaty."
            ]
        );
        assert_eq!(got[0].line, 4);
    }

    /// Regression, found by fuzzing (fuzz/run.sh segment): the entity look-ahead cut a
    /// multi-byte character in two and panicked.
    #[test]
    fn entity_lookahead_inside_a_multibyte_character() {
        let html = "<p>Kandahar&&&&&&&&&&&\u{2013}Chaman\u{2013}Karachi corridor links the ports of the region to Central Asia.</p>";
        assert_eq!(segment(html).len(), 1);
        let crash = std::fs::read("../../fuzz/regressions/segment-entity-multibyte").unwrap_or_default();
        let _ = segment(&String::from_utf8_lossy(&crash));
    }

    #[test]
    fn empty_and_garbage_input_has_no_paragraphs() {
        assert!(segment("").is_empty());
        assert!(segment("\n\n \t\n").is_empty());
        assert!(segment("<p><<<>>>&&&;;</p>").is_empty());
    }
}
