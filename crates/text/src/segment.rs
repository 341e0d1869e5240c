//! Paragraph segmentation of raw articles: scraped web pages as text, plain text with
//! blank or single line breaks, Markdown and simple HTML.
//!
//! The rules, in the order they run:
//! 1. HTML (a tag of [`HTML_MARKS`] is present: `<p>`, `<br>`, `<div>`, `<li>`, a
//!    heading, a table cell...) is reduced to
//!    lines of text ([`html_lines`]): `script`, `style`, `nav`, `header`, `footer`,
//!    `aside`, `noscript`, `figcaption`, form controls and embeds are dropped with their
//!    content (a script's `i < n` is no tag), comments too; block tags end a block,
//!    `<br>` a line; inline tags (`<a>`, `<em>`, `<span>`...) go without a trace; every
//!    named and numeric entity is decoded. Outside `<p>`, the source's line breaks count
//!    as in plain text.
//! 2. Blocks are separated by blank lines and made into paragraphs by
//!    [`flush_block`]: Markdown headings (`# `) stand alone, list items start a
//!    paragraph (but a wrapped line of prose that starts with a spaced dash or a number
//!    continues its sentence), a block of short lines that do not all end a sentence is
//!    hard-wrapped and joined (with paragraph ends found from short lines and indents),
//!    and in other blocks each line is a paragraph.
//! 3. Markdown markup is removed: heading, quote and list markers, emphasis,
//!    `[text](link)`.
//! 4. A candidate is kept as a real paragraph only if it has at least 10 words, ends
//!    like a sentence (`.`, `!` or `?`, or Urdu `۔`, Arabic `؟`, Devanagari `।`, maybe
//!    followed by closing quotes or brackets and footnote references such as `[1]` or
//!    `[^1]`, or a news agency's credit such as `(AFP)`), or, when it does not, has at least 40 words
//!    and a sentence break inside (prose whose last full stop was lost), is not a
//!    teaser cut off with `...` (lists of other headlines), and is not page
//!    furniture or an author biography (see [`is_boilerplate`]). This drops navigation,
//!    headings, bylines, dates, captions, "Related stories", "Continue Reading", cookie
//!    notices and comment forms, which never end like a sentence, are too short, or
//!    start with a known phrase (whole words: "Subscribers of..." is news).

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
    let text = &lone_cr_as_lf(text);
    let lines = if looks_like_html(text) { html_lines(text) } else { text_lines(text) };
    blocks(&lines)
        .into_iter()
        .filter_map(|(raw, line)| {
            let text = clean_markdown(&collapse_whitespace(&raw));
            is_real_paragraph(&text).then_some(Paragraph { text, line })
        })
        .collect()
}

/// The text with every lone `\r` (a line end of old Mac files and some exports) made
/// `\n`, so that it ends a line as `\n` and `\r\n` do.
fn lone_cr_as_lf(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') { '\n' } else { c });
    }
    Cow::Owned(out)
}

/// Tags that make a text HTML: paragraphs, breaks and the blocks pages and fragments
/// are built of (a list or a table alone is HTML too).
const HTML_MARKS: [&str; 17] = [
    "<p>",
    "<p ",
    "</p>",
    "<br",
    "<div",
    "<html",
    "<body",
    "<li>",
    "<li ",
    "</li>",
    "<h1",
    "<h2",
    "<h3",
    "<td",
    "<article",
    "<section",
    "<blockquote",
];

/// Whether `segment` reads `text` as HTML: one of [`HTML_MARKS`] in its first 64 KiB.
pub fn looks_like_html(text: &str) -> bool {
    let head = &text[..floor_char_boundary(text, 64 * 1024)];
    let lower = head.to_ascii_lowercase();
    HTML_MARKS.iter().any(|t| lower.contains(t))
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

/// A line of text with the 1-based source line it starts on. An empty line separates
/// blocks.
type Line<'a> = (Cow<'a, str>, usize);

/// The lines of plain text or Markdown.
fn text_lines(text: &str) -> Vec<Line<'_>> {
    text.lines().enumerate().map(|(i, l)| (Cow::Borrowed(l), i + 1)).collect()
}

/// Blocks (runs of lines between blank lines) made into candidate paragraphs.
fn blocks(lines: &[Line<'_>]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut block: Vec<(&str, usize)> = Vec::new();
    for (line, number) in lines {
        if line.trim().is_empty() {
            flush_block(&mut block, &mut out);
        } else {
            block.push((line, *number));
        }
    }
    flush_block(&mut block, &mut out);
    out
}

/// A Markdown heading: one to six `#`, then a space or the line's end (`#hashtag` is
/// text). It is a line of its own.
fn is_heading(line: &str) -> bool {
    let t = line.trim();
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with([' ', '\t']))
}

/// A Markdown list item (`-`, `*`, `+`, `•`, `1.`): it starts a paragraph.
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("• ") {
        return true;
    }
    if let Some(rest) = t.strip_prefix(['-', '*', '+']) {
        return rest.starts_with(' ');
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits < 4 && t[digits..].starts_with(". ")
}

/// Whether a line ends a sentence: `.`, `!` or `?` (or the Urdu, Arabic and Devanagari
/// full stops and question mark), maybe followed by closing quotes or brackets.
fn ends_a_sentence(line: &str) -> bool {
    line.trim_end().trim_end_matches(CLOSERS).ends_with(SENTENCE_ENDS)
}

/// What ends a sentence: `.`, `!`, `?`, and the full stops and question marks of the
/// region's other scripts: Urdu `۔`, Arabic `؟`, Devanagari `।` and `॥`.
const SENTENCE_ENDS: [char; 7] = ['.', '!', '?', '۔', '؟', '।', '॥'];

/// What may follow the end of a sentence: closing quotes, brackets, emphasis.
const CLOSERS: [char; 10] = ['"', '\'', '”', '’', '»', ')', ']', '*', '_', '›'];

/// Joins the lines of one block into paragraphs.
///
/// A block is hard-wrapped when four lines in five or more are short (at most
/// [`WRAP_WIDTH`] characters), unless it has three lines or more and four in five of
/// them end a sentence (short paragraphs, one per line), not counting short lines on
/// top that end no sentence (a headline, a byline). In a hard-wrapped block a
/// paragraph ends after a line much shorter than the others (under 60% of the longest
/// short line) when the next line's first word would have fitted on it (a headline, a
/// byline, a paragraph's last line); after the end of a sentence followed by a long
/// line, or by a short one that ends no sentence (a caption, a credit); or before an
/// indented line, when at most half the block is indented (a hanging indent is no
/// paragraph mark). Other blocks have one paragraph per line. In every block, Markdown
/// headings stand alone and list items start a paragraph; a line continues the one
/// before when that one ends in a comma or semicolon, or does not end a sentence and
/// the line starts in lower case (a line break inside a sentence, such as an HTML
/// `<br>`); `>` quote markers are removed.
fn flush_block(block: &mut Vec<(&str, usize)>, out: &mut Vec<(String, usize)>) {
    if block.is_empty() {
        return;
    }
    let width = |l: &str| l.trim().chars().take(WRAP_WIDTH + 1).count();
    let short = block.iter().filter(|(l, _)| width(l) <= WRAP_WIDTH).count();
    let longest_short = block.iter().map(|(l, _)| width(l)).filter(|&w| w <= WRAP_WIDTH).max().unwrap_or(0);
    // A headline and a byline on top (short lines that end no sentence) say nothing of
    // how the lines below them are laid out.
    let heads = block.iter().take_while(|(l, _)| !ends_a_sentence(l) && width(l) * 10 < longest_short * 6).count();
    let body = &block[heads..];
    let ended = body.iter().filter(|(l, _)| ends_a_sentence(l)).count();
    let wrapped = short * 5 >= block.len() * 4 && !(body.len() >= 3 && ended * 5 >= body.len() * 4);
    let indented = |l: &str| l.starts_with('\t') || l.starts_with("  ");
    let has_items = block.iter().any(|(l, _)| is_list_item(l));
    let n_indented = block.iter().filter(|(l, _)| indented(l)).count();
    let by_indent = !has_items && n_indented > 0 && n_indented * 2 <= block.len();
    let mut current: Option<(String, usize)> = None;
    let mut previous: Option<&str> = None;
    // Whether the current paragraph is a list item.
    let mut in_list = false;
    for (i, &(line, number)) in block.iter().enumerate() {
        let content = unquote(line);
        let continues = content.trim_start().starts_with(|c: char| c.is_lowercase());
        let item = is_list_item(line);
        // In hard-wrapped prose, a line can start with a spaced dash or a number and a
        // full stop ("- a sensitive issue", "14. The"): no list item when it follows a
        // long line that ends no sentence, outside a list, and no item follows it.
        let item_in_prose = item
            && wrapped
            && !in_list
            && !block.get(i + 1).is_some_and(|(next, _)| is_list_item(next))
            && previous.is_some_and(|prev| {
                !ends_a_sentence(prev)
                    && !prev.trim_end().ends_with(':')
                    && !is_heading(prev)
                    && width(prev) * 10 >= longest_short * 6
            });
        let starts_new = match previous {
            None => true,
            Some(_) if item_in_prose => false,
            Some(_) if is_heading(line) || item => true,
            Some(prev) if is_heading(prev) => true,
            Some(prev) if continues && !ends_a_sentence(prev) => false,
            // An indent marks a new paragraph after the end of a sentence or a short line
            // (a headline); after a long line that ends no sentence, it is the layout of
            // the source (a pretty-printed `<li>`, a PDF dump) inside a sentence.
            Some(prev)
                if by_indent && indented(line) && (ends_a_sentence(prev) || width(prev) * 10 < longest_short * 6) =>
            {
                true
            }
            // A line ending in a comma or semicolon is inside a sentence.
            Some(prev) if prev.trim_end().ends_with([',', ';']) => false,
            Some(prev) if wrapped => {
                let short = |l: &str| width(l) * 10 < longest_short * 6;
                // A line is cut short by a paragraph's end only if the next line's first
                // word would have fitted on it; otherwise that word was just too long.
                let first_word = line.split_whitespace().next().map_or(0, |w| w.chars().count());
                let fits = width(prev) + 1 + first_word <= longest_short;
                (short(prev) && fits)
                    || (ends_a_sentence(prev) && (width(line) > WRAP_WIDTH || (short(line) && !ends_a_sentence(line))))
            }
            Some(_) => true,
        };
        if starts_new {
            out.extend(current.take());
            current = Some((content.to_string(), number));
            in_list = item;
        } else if let Some((text, _)) = &mut current {
            text.push(' ');
            text.push_str(content.trim_start());
        }
        previous = Some(line);
    }
    out.extend(current);
    block.clear();
}

/// A line without its Markdown quote markers (`>`).
fn unquote(line: &str) -> &str {
    let mut t = line.trim_start();
    while let Some(rest) = t.strip_prefix('>') {
        t = rest.trim_start();
    }
    if t.len() == line.trim_start().len() {
        line
    } else {
        t
    }
}

/// Elements dropped with their content.
const DROP: [&str; 15] = [
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "noscript",
    "figcaption",
    "button",
    "select",
    "template",
    "svg",
    "iframe",
    "object",
    "textarea",
];
/// Tags inside running text: removed without a break or a space.
const INLINE: [&str; 30] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// The lines of an HTML page, as text. Block tags (`<p>`, `<div>`, headings, list
/// items...) end a block; `<br>` ends a line; inline tags (`<a>`, `<em>`, `<span>`...)
/// go without a trace and other tags leave a space; [`DROP`] elements go with their
/// content. Inside a `<p>` a line break of the source is a space, as a browser shows it;
/// elsewhere it ends a line, and a blank line a block, as in plain text (pages that put
/// their paragraphs in one `<div>`, Markdown with some HTML). A `<` that starts no tag
/// (`i < n`) is text. Entities are decoded.
fn html_lines(html: &str) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current = String::new();
    let mut current_line = 1;
    let mut line = 1;
    let mut in_p = false;
    // After a `<br>`, until more text: the source's own line break there is the same.
    let mut after_br = false;
    let mut has_text = false;
    let mut rest = html;
    let end_line = |lines: &mut Vec<Line<'static>>, current: &mut String, at: usize| {
        let decoded = html_escape::decode_html_entities(current.as_str()).into_owned();
        lines.push((Cow::Owned(decoded), at));
        current.clear();
    };
    // Where the page's last `>` is: no `<` after it starts a tag. Found once, as the
    // offset from the end, so that each search is bounded without scanning again.
    let last_gt_from_end = memchr::memrchr(b'>', html.as_bytes()).map(|i| html.len() - i);
    // Text up to the next tag (or the end), then the tag.
    loop {
        let lt = find_tag(rest, last_gt_from_end.and_then(|e| rest.len().checked_sub(e)));
        let (text, after) = rest.split_at(lt.unwrap_or(rest.len()));
        for (i, piece) in text.split('\n').enumerate() {
            if i > 0 {
                line += 1;
                if in_p || (after_br && !has_text) {
                    current.push(' ');
                } else {
                    end_line(&mut lines, &mut current, current_line);
                    has_text = false;
                }
            }
            if !has_text {
                current_line = line;
            }
            let blank = piece.trim().is_empty();
            after_br &= blank;
            has_text |= !blank;
            current.push_str(piece);
        }
        let Some(_) = lt else { break };
        let gt = after.find('>').expect("find_tag saw a '>' after the tag's start");
        let tag = &after[1..gt];
        line += tag.matches('\n').count();
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name = tag.trim_start_matches('/').split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
        let name = name.to_ascii_lowercase();
        if tag.starts_with('!') || tag.starts_with('?') {
            // A comment, doctype or processing instruction. A comment ends at `-->`.
            if let Some(body) = after.strip_prefix("<!--") {
                let end = body.find("-->").map_or(after.len(), |e| 4 + e + 3);
                line += after[..end].matches('\n').count() - tag.matches('\n').count();
                rest = &after[end..];
            }
            continue;
        }
        if !closing && DROP.contains(&name.as_str()) && !tag.ends_with('/') {
            // Skip to the first end tag of the name, reading nothing in between as a
            // tag: a script's `i < n` is no tag (nesting these elements is rare).
            let close = format!("</{name}");
            let end = find_ascii_case_insensitive(rest, &close).unwrap_or(rest.len());
            let end = rest[end..].find('>').map_or(rest.len(), |g| end + g + 1);
            line += rest[..end].matches('\n').count();
            rest = &rest[end..];
            continue;
        }
        if name == "br" {
            end_line(&mut lines, &mut current, current_line);
            has_text = false;
            after_br = true;
        } else if INLINE.contains(&name.as_str()) {
        } else if BLOCK.contains(&name.as_str()) {
            end_line(&mut lines, &mut current, current_line);
            has_text = false;
            lines.push((Cow::Borrowed(""), line));
            in_p = name == "p" && !closing;
        } else {
            current.push(' ');
        }
    }
    end_line(&mut lines, &mut current, current_line);
    lines
}

/// The end of the last sentence break in `text` (a [`SENTENCE_ENDS`] mark and a space),
/// if any: where a stream of text without blank lines can be cut without splitting a
/// sentence.
pub fn sentence_break_end(text: &str) -> Option<usize> {
    SENTENCE_ENDS.iter().filter_map(|c| text.rfind(&format!("{c} ")).map(|at| at + c.len_utf8() + 1)).max()
}

/// The end of the last closing tag of a block element (`</p>`, `</div>`, ... as the
/// segmenter knows them) in `text`, if any: where a stream of HTML can be cut without
/// splitting a paragraph.
/// Looks back through at most a few thousand `</`, so text that has none costs one
/// backward search.
pub fn html_block_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    for _ in 0..4096 {
        let at = text[..end].rfind("</")?;
        let rest = &bytes[at + 2..];
        let name_len = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        let blanks = rest[name_len..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        if rest.get(name_len + blanks) == Some(&b'>') {
            let name = &rest[..name_len];
            if BLOCK.iter().any(|b| b.as_bytes().eq_ignore_ascii_case(name)) {
                return Some(at + 2 + name_len + blanks + 1);
            }
        }
        end = at;
    }
    None
}

/// Tags that end a block of text.
const BLOCK: [&str; 30] = [
    "p",
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
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "blockquote",
    "main",
    "title",
    "hr",
    "pre",
    "figure",
    "body",
    "head",
    "html",
    "address",
];

/// The byte offset of the next `<` that starts a tag: followed by a letter, `/` and a
/// letter, `!` or `?`, and before `last_gt`, the offset of the text's last `>`.
fn find_tag(text: &str, last_gt: Option<usize>) -> Option<usize> {
    let bytes = text.as_bytes();
    let last_gt = last_gt?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'<', &bytes[from..last_gt]).map(|i| from + i) {
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let after = bytes.get(i + 2).copied().unwrap_or(b' ');
        if next.is_ascii_alphabetic() || next == b'!' || next == b'?' || (next == b'/' && after.is_ascii_alphabetic()) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// The byte offset of `needle` (ASCII) in `haystack`, ignoring ASCII case.
fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let first = n.first()?.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = memchr::memchr2(first, first.to_ascii_uppercase(), &h[from..]).map(|i| from + i) {
        if h.len() - i >= n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n) {
            return Some(i);
        }
        from = i + 1;
    }
    None
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

/// Removes Markdown markup from one collapsed line of text: heading, quote and list
/// markers, emphasis (`**`, `__`, and single `*` or `_` at the edge of a word),
/// `[text](link)`.
fn clean_markdown(text: &str) -> String {
    let mut t = if is_heading(text) { text.trim_start_matches('#').trim_start() } else { text };
    while let Some(rest) = t.strip_prefix('>') {
        t = rest.trim_start();
    }
    if is_list_item(t) {
        let marker = t.find(' ').expect("a list item has a space after its marker");
        t = t[marker..].trim_start();
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
        if let Some(r) = rest.strip_prefix(['*', '_']) {
            // A single marker opens emphasis before a word, or closes it after one; one
            // inside a word (snake_case) or between spaces (`5 * 3`) is text.
            let before = out.chars().next_back();
            let after = r.chars().next();
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            let edge = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
            if (edge(before) && word(after)) || (word(before) && edge(after)) {
                rest = r;
                continue;
            }
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
    let trimmed = trim_credit(trim_footnote_marks(text)).trim_end_matches(CLOSERS);
    if trimmed.ends_with("...") || trimmed.ends_with('…') {
        return false;
    }
    // A colon ends a sentence that introduces a quote or a list ("... said:").
    let ends_like_a_sentence = trimmed.ends_with(SENTENCE_ENDS) || trimmed.ends_with(':');
    let long_prose = more_words_than(text, UNENDED_MIN_WORDS - 1) && has_sentence_break(text);
    if !ends_like_a_sentence && !long_prose {
        return false;
    }
    !is_boilerplate(text)
}

/// Fewest words of a paragraph kept without a closing full stop: long enough to be
/// prose, not a headline or a menu, and it must also break between sentences inside.
const UNENDED_MIN_WORDS: usize = 40;

/// `text` without a news agency's credit after its last sentence: "... officials said.
/// (AFP)", "... said. — Reuters", "... said. - APP" (one to three capitalised words).
fn trim_credit(text: &str) -> &str {
    let t = text.trim_end();
    let credit = |c: &str| {
        let words: Vec<&str> = c.split_whitespace().collect();
        (1..=3).contains(&words.len()) && c.len() <= 30 && words.iter().all(|w| w.starts_with(char::is_uppercase))
    };
    let before = if let Some(inner) = t.strip_suffix(')') {
        inner.rfind('(').filter(|&at| credit(&inner[at + 1..])).map(|at| &inner[..at])
    } else {
        [" — ", " – ", " - "]
            .iter()
            .filter_map(|d| t.rfind(d).map(|at| (at, d.len())))
            .max()
            .and_then(|(at, n)| credit(&t[at + n..]).then_some(&t[..at]))
    };
    match before {
        Some(b) if ends_a_sentence(b) => b.trim_end(),
        _ => text,
    }
}

/// `text` without trailing footnote references: `[1]`, `(2)`, `[12]`, `¹`, and
/// Markdown's `[^1]` and `[^note]`.
fn trim_footnote_marks(text: &str) -> &str {
    let mut t = text.trim_end();
    loop {
        let before = t;
        t = t.trim_end_matches(['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰']).trim_end();
        for (open, close) in [('[', ']'), ('(', ')')] {
            if let Some(inner) = t.strip_suffix(close) {
                if let Some(at) = inner.rfind(open) {
                    let number = &inner[at + 1..];
                    let markdown = open == '[' && number.starts_with('^');
                    let label = number.trim_start_matches('^');
                    let numbered = (1..=3).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
                    let named = markdown
                        && (1..=20).contains(&label.len())
                        && !label.contains(|c: char| c.is_whitespace() || "[]^".contains(c));
                    if numbered || named {
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

/// Whether a sentence ends inside `text`: `.`, `!` or `?`, a space, then a capital; or
/// one of the other [`SENTENCE_ENDS`] (scripts without capitals), then a space.
fn has_sentence_break(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ' && w[2].is_ascii_uppercase())
        || SENTENCE_ENDS[3..].iter().any(|c| text.contains(&format!("{c} ")))
}

/// Page furniture that can end like a sentence, and author biographies.
fn is_boilerplate(text: &str) -> bool {
    // Whole words at the start of the paragraph: "Subscribe to our newsletter", not
    // "Subscribers of the three operators".
    const PREFIXES: [&str; 21] = [
        "disclaimer:",
        "note: this article",
        "leave a reply",
        "please enter your",
        "please enable javascript",
        "you have entered an incorrect",
        "save my name",
        "related stories",
        "continue reading",
        "read more",
        "©",
        "(c) 1",
        "(c) 2",
        "all rights reserved",
        "subscribe",
        "sign up",
        "follow us",
        "share this",
        "this article was originally published",
        "we use cookies",
        "this website uses cookies",
    ];
    // The prefixes are ASCII but for `©`, so comparing the first bytes without ASCII case
    // is the same as lower-casing the paragraph first, without the copy.
    let starts = |p: &str| {
        text.as_bytes().get(..p.len()).is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
            && !(p.ends_with(|c: char| c.is_ascii_alphabetic()) && text[p.len()..].starts_with(char::is_alphanumeric))
    };
    if PREFIXES.iter().any(|p| starts(p)) {
        return true;
    }
    // "Copyright 2024 ...", "Copyright Reuters ...", "Copyright: ..."; not "Copyright
    // holders have complained".
    if starts("copyright") && !text["copyright".len()..].trim_start().starts_with(char::is_lowercase) {
        return true;
    }
    // A biography is short.
    !more_words_than(text, BIO_MAX_WORDS) && is_author_bio(text)
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

/// "Jane Doe is a senior fellow at ...", "Jane Doe, a former diplomat, is director of
/// ...", "The writer is a freelance journalist ...": a name (one to five capitalised
/// words, name particles such as `al-` or `de` aside) or "The writer" (author,
/// columnist), then "is a/an" or ", is", then a role among the next eight words, before
/// any "who", "where" or "which". News is not taken for one: "The corridor is a lifeline
/// ..., said X, director of ...", "Farida, 19, is a medical student ...", "Kabul is a
/// city where every foreign journalist ...".
fn is_author_bio(text: &str) -> bool {
    const ROLES: [&str; 15] = [
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
        "doctoral",
    ];
    const PARTICLES: [&str; 12] = ["al", "el", "de", "da", "di", "van", "von", "der", "bin", "ibn", "ul", "ud"];
    const WRITERS: [&str; 4] = ["the writer", "the author", "the columnist", "the contributor"];
    let Some((is, after)) =
        [" is a ", " is an ", ", is "].iter().filter_map(|p| text.find(p).map(|i| (i, i + p.len()))).min()
    else {
        return false;
    };
    // The name is what comes before "is", or before the first comma, after which come
    // only titles or an apposition: "Jane Doe, PhD, is ...", "Jane Doe, a former
    // diplomat, is ..."; not "Farida, 19, is ...".
    let mut parts = text[..is].split(',');
    let name = parts.next().unwrap_or("");
    let apposition = |p: &str| {
        let p = p.trim();
        p.starts_with(char::is_uppercase) || ["a ", "an ", "the "].iter().any(|a| p.starts_with(a))
    };
    if !parts.all(apposition) {
        return false;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = |w: &&str| {
        w.starts_with(char::is_uppercase)
            || PARTICLES.iter().any(|p| w.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('-')))
    };
    let named = (1..=5).contains(&words.len())
        && words[0].starts_with(char::is_uppercase)
        && words.iter().all(capitalised)
        && !words[0].eq_ignore_ascii_case("the");
    let writer = WRITERS.iter().any(|w| name.trim().eq_ignore_ascii_case(w));
    (named || writer)
        && text[after..]
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(8)
            .take_while(|w| !["who", "where", "which", "whose", "that"].iter().any(|r| w.eq_ignore_ascii_case(r)))
            .any(|w| ROLES.iter().any(|r| w.eq_ignore_ascii_case(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_end_after_the_last_closing_block_tag() {
        assert_eq!(html_block_end("<p>a. b</p><p>c. d"), Some(11));
        assert_eq!(html_block_end("<div><p>a</P >x</span>y"), Some(14), "any case, blanks before >");
        assert_eq!(html_block_end("<p>a</span> b</p"), None, "inline tags and a tag cut off are no end");
        assert_eq!(html_block_end("plain text. With sentences."), None);
    }

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

    /// Each of these one-paragraph texts is kept as it is.
    fn all_kept(paragraphs: &[&str]) {
        for p in paragraphs {
            assert_eq!(texts(p), [*p], "{p}");
        }
    }

    /// Each of these texts is dropped.
    fn all_dropped(paragraphs: &[&str]) {
        for p in paragraphs {
            assert!(texts(p).is_empty(), "{p}");
        }
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
    fn a_scripts_less_than_and_comments_hide_no_paragraph() {
        let html = "<html><head><script>for (var i = 0; i < ads.length; i++) { x(i); }</script>\n\
            <!-- <p>An old paragraph left in a comment, never shown by the browser to a reader.</p> -->\n\
            </head><body><p>Tajikistan on Tuesday launched a new turbine at the Rogun hydropower plant, officials said.</p>\n\
            <p>Water use, if 2 < 3 and 5 > 4, is what the neighbours will discuss at the summit next month.</p>\n\
            <script>var s = '<p>not a paragraph of the article but a string in a script</p>';</script></body></html>";
        assert_eq!(
            texts(html),
            [
                "Tajikistan on Tuesday launched a new turbine at the Rogun hydropower plant, officials said.",
                "Water use, if 2 < 3 and 5 > 4, is what the neighbours will discuss at the summit next month."
            ]
        );
    }

    #[test]
    fn inline_tags_leave_no_space_and_every_named_entity_decodes() {
        let html = "<p><b>President</b> <a href=\"#\">Shavkat Mirziyoyev</a>, speaking in <span class=\"d\">T</span>ashkent, \
            said Uzbekistan<em>&rsquo;s</em> economy would grow by 6%.</p>\n\
            <p>T&uuml;rkiye and &laquo;Turkmengaz&raquo; agreed a &euro;500 million deal on the communiqu&eacute; today.</p>";
        assert_eq!(
            texts(html),
            [
                "President Shavkat Mirziyoyev, speaking in Tashkent, said Uzbekistan’s economy would grow by 6%.",
                "Türkiye and «Turkmengaz» agreed a €500 million deal on the communiqué today."
            ]
        );
    }

    #[test]
    fn html_paragraphs_in_one_div_a_br_inside_a_sentence_and_furniture() {
        let html = "<div class=\"cookie\"><p>We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.</p></div>\n\
            <figure><img src=\"a.jpg\"><figcaption>A man walks past the headquarters of the National Bank of Kazakhstan in Almaty.</figcaption></figure>\n\
            <div class=\"text\">\nUzbekistan will import up to 9 million cubic metres of Russian gas per day this winter.\n\n\
            Domestic production has fallen by almost a fifth since 2019, while Tajikistan keeps the road that links the exclave<br>\n\
            to the rest of the Sughd region.\n</div>\n\
            <noscript>Please enable JavaScript to view the comments powered by Disqus and the rest.</noscript>\n\
            <p>&copy; 2023 Kun.uz. All rights reserved. Use of the materials is allowed only with a hyperlink.</p>";
        assert_eq!(
            segment(html),
            [
                Paragraph {
                    text: "Uzbekistan will import up to 9 million cubic metres of Russian gas per day this winter.".into(),
                    line: 4
                },
                Paragraph {
                    text: "Domestic production has fallen by almost a fifth since 2019, while Tajikistan keeps the road that links the exclave to the rest of the Sughd region.".into(),
                    line: 6
                },
            ]
        );
    }

    #[test]
    fn hard_wrapped_text_with_a_long_line_a_headline_and_indented_paragraphs() {
        // A URL longer than the wrap width does not make each line a paragraph.
        let long = "Kyrgyzstan earned more than $1.3 billion from gold exports last year, most of it\n\
            from the Kumtor mine, according to the report at\n\
            https://example.org/reports/2024/kyrgyzstan-gold-exports-and-the-public-debt-of-the-republic-full-text.pdf\n\
            which the government published last week.\n";
        assert_eq!(texts(long).len(), 1, "{:?}", texts(long));
        // A headline and a byline above the first paragraph, CRLF endings.
        let crlf = "Pakistan-Tajikistan power line faces new delays\r\nBy Staff Reporter\r\n\
            ISLAMABAD: The CASA-1000 transmission line, which is meant to carry summer\r\n\
            surplus electricity from Tajikistan and Kyrgyzstan to Pakistan, will not be\r\n\
            completed before 2026, officials told a parliamentary committee on Monday.\r\n";
        let got = segment(crlf);
        assert_eq!(got.len(), 1);
        assert!(got[0].text.starts_with("ISLAMABAD: The CASA-1000") && got[0].line == 3, "{got:?}");
        // A tab marks each new paragraph, with no blank line between them.
        let indented = "\tUZBEKISTAN RAISES ELECTRICITY TARIFFS\n\tTashkent, May 1 (Gazeta.uz)\n\
            \tUzbekistan raised household electricity and gas tariffs on Wednesday\n\
            for the first time since 2019, introducing a social norm under which\n\
            families pay the old price for a limited monthly volume.\n\
            \tThe energy ministry said the new tariffs were needed to cut subsidies\n\
            that cost the budget about $1.5 billion a year. It said poor families\n\
            registered in the iron notebook would receive compensation.\n";
        let got = segment(indented);
        assert_eq!(got.iter().map(|p| p.line).collect::<Vec<_>>(), [3, 6], "{got:?}");
    }

    #[test]
    fn short_lines_that_each_end_a_sentence_are_paragraphs_and_other_cases_from_review() {
        // One short sentence per line, as text or with <br>: one paragraph each.
        let lines = [
            "Kazakhstan's central bank kept its base rate at 14.75% on Friday.",
            "Annual inflation slowed to 8.4% in March from 8.7% in February.",
            "The tenge was little changed at 447 per dollar after the decision.",
        ];
        assert_eq!(texts(&lines.join("\n")), lines);
        assert_eq!(texts(&format!("<div class=\"news\">\n{}<br>\n</div>", lines.join("<br>\n"))), lines);
        // A line after the end of a sentence is a new paragraph even when it starts in
        // lower case (a brand name, or a script without case such as Georgian).
        let lower = [
            "Apple said on Tuesday that sales of its phones in Kazakhstan rose by a third last year, helped by new stores.",
            "iPhone prices in the country are now about 10% higher than in Russia, according to a survey published this week.",
        ];
        assert_eq!(texts(&lower.join("\n")), lower);
        // A hanging indent under a headline is one paragraph, not indented paragraphs.
        let hanging = "KAZAKHSTAN KEEPS RATE ON HOLD\n    The central bank kept its base rate at 14.75% on Friday, the regulator in\n    \
            Almaty said, adding that inflation had slowed faster than expected in\n    February and that it would consider further cuts.\n";
        assert_eq!(texts(hanging).len(), 1, "{:?}", texts(hanging));
        // A short line that ends in a comma goes on.
        let comma = "The central bank kept its base rate at 14.75% on Friday, the regulator said in\n\
            a statement published on its website in Almaty. Inflation would, he said,\n\
            \"slow to between 7.5% and 9.5% by the end of the year\", above the target.\n";
        assert_eq!(texts(comma).len(), 1, "{:?}", texts(comma));
        // A page inside a <form> (ASP.NET wraps whole pages in one) keeps its text.
        let form =
            "<html><body><form method=\"post\" id=\"aspnetForm\"><div><input type=\"hidden\" value=\"abc\" /></div>\n\
            <p>Kazakhstan's central bank kept its base rate at 14.75% on Friday, saying inflation had slowed.</p>\n\
            <button>Send</button></form></body></html>";
        assert_eq!(
            texts(form),
            ["Kazakhstan's central bank kept its base rate at 14.75% on Friday, saying inflation had slowed."]
        );
    }

    #[test]
    fn markdown_list_items_quotes_and_single_emphasis_are_cleaned() {
        let md = "- Security arrangements for construction crews, to be agreed separately\n  with the Taliban administration in Kabul.\n\
            1. Uzbekistan will fund the first stage of the survey from its own budget this year.\n\n\
            > \"This corridor will change the economic map of our region. It will connect the\n\
            > markets of Central Asia with the ports of Karachi,\" the minister said.\n\n\
            Attacks by the *Islamic State Khorasan Province* have targeted workers, _The Express Tribune_ reported, in snake_case 5 * 3 times.\n";
        assert_eq!(
            texts(md),
            [
                "Security arrangements for construction crews, to be agreed separately with the Taliban administration in Kabul.",
                "Uzbekistan will fund the first stage of the survey from its own budget this year.",
                "\"This corridor will change the economic map of our region. It will connect the markets of Central Asia with the ports of Karachi,\" the minister said.",
                "Attacks by the Islamic State Khorasan Province have targeted workers, The Express Tribune reported, in snake_case 5 * 3 times."
            ]
        );
    }

    #[test]
    fn furniture_words_count_only_as_whole_words() {
        all_kept(&[
            "Subscribers of Kazakhstan's three mobile operators will have to confirm their identity by the end of the year.",
            "Copyright holders have also complained about operators that stream foreign television channels without licences.",
            "The plan is aimed at curbing telephone fraud, which cost citizens 10 billion tenge, according to the authorities.",
            "The new bridge is also popular with students, who cross it on foot every morning to reach the university.",
            "\"We do not intend to punish honest users. The rules are aimed only at fraudsters,\" said Vice Minister Askhat Orazbek.»",
        ]);
        all_dropped(&[
            "Subscribe to our newsletter to receive the latest news from Central Asia every morning.",
            "Subscribe today and get unlimited access to all our reporting for just $1 a month.",
            "Sign up now to receive our free newsletter with the week's news from the region.",
            "Copyright 2024 Kun.uz. All rights reserved, and the materials are used only with a link.",
            "Copyright Reuters 2024. All rights reserved. Republication or redistribution is prohibited.",
            "Copyright: 2024 The Astana Times. Materials may be used only with a link to the source.",
            "(c) 2023 Kun.uz. All rights reserved. Use of the site's materials needs an active hyperlink.",
            "Jane Doe is an analyst at the Institute for War and Peace Reporting in Bishkek.",
        ]);
    }

    #[test]
    fn empty_and_garbage_input_has_no_paragraphs() {
        assert!(segment("").is_empty());
        assert!(segment("\n\n \t\n").is_empty());
        assert!(segment("<p><<<>>>&&&;;</p>").is_empty());
        // A `<` with no `>` after it starts no tag: the text after it stays.
        assert_eq!(
            texts("<p>One paragraph of the article, long enough to be kept by the rules.</p>\nIf a <b then the rest is still text of the page, kept whole."),
            [
                "One paragraph of the article, long enough to be kept by the rules.",
                "If a <b then the rest is still text of the page, kept whole."
            ]
        );
    }

    #[test]
    fn urdu_hindi_and_persian_sentence_ends_end_sentences() {
        let urdu = "حکام کے مطابق سرحد پر فائرنگ کے تبادلے کے بعد دونوں ممالک کے درمیان تجارت معطل ہو گئی تھی۔";
        let question =
            "کیا یہ بندش دونوں ملکوں کے تعلقات میں ایک نئے بحران کی نشاندہی کرتی ہے یا محض ایک عارضی تنازع ہے؟";
        let hindi = "अधिकारियों के अनुसार सीमा पर गोलीबारी के बाद दोनों देशों के बीच व्यापार पूरी तरह से रुक गया था।";
        for text in [urdu, question, hindi] {
            assert_eq!(texts(&format!("{text}\n\n")), [text]);
            assert_eq!(texts(&format!("<p>{text}</p>")), [text]);
        }
        // One per line, as with full stops.
        assert_eq!(texts(&format!("{urdu}\n{question}\n{hindi}\n")), [urdu, question, hindi]);
    }

    #[test]
    fn news_that_reads_like_a_biography_is_kept_and_biographies_are_not() {
        all_kept(&[
            "The corridor is a lifeline for traders in Khyber Pakhtunkhwa, said Zahid Khan, director of the Sarhad Chamber of Commerce.",
            "Farida, 19, is a medical student in Herat who has not attended a class since the Taliban banned women from universities.",
            "Kabul is a city where every foreign journalist now needs a government minder, even for a trip to the bazaar.",
            "\u{201c}Pakistan is a country where the army, not parliament, decides Afghan policy,\u{201d} said Ayesha Siddiqa, an analyst.",
            "Abdullah Abdullah is a candidate in the presidential election for the third time, officials said.",
        ]);
        all_dropped(&[
            "John Smith, PhD, is a senior research fellow at the Central Asia Institute in Washington.",
            "Aziza Umarova is a freelance journalist based in Tashkent who covers migration and labour.",
            "The writer is a freelance journalist based in Karachi who covers politics and the economy.",
            "The author is a senior fellow at the Carnegie Endowment for International Peace.",
            "Jane Doe is a former BBC World Service correspondent in Kabul.",
            "Ahmed al-Sharif is a researcher at the Gulf Research Center.",
            "Jan de Vries is a professor of history at Leiden University.",
            "Jane Doe, a former diplomat, is director of the Central Asia Program at George Washington University.",
        ]);
    }

    #[test]
    fn a_wrapped_line_starting_with_a_dash_a_number_or_a_hashtag_continues_its_sentence() {
        let dash = "ISLAMABAD (Reuters) - Pakistan's army chief met Chinese officials in Beijing\n\
            on Monday to discuss the security of Chinese nationals working on CPEC\n\
            - a sensitive issue after a suicide bomber killed five Chinese engineers\n\
            in March - according to two officials briefed on the talks.\n";
        assert_eq!(
            texts(dash),
            ["ISLAMABAD (Reuters) - Pakistan's army chief met Chinese officials in Beijing on Monday to discuss the \
             security of Chinese nationals working on CPEC - a sensitive issue after a suicide bomber killed five \
             Chinese engineers in March - according to two officials briefed on the talks."]
        );
        let number = "Uzbek and Afghan officials said the first freight train on the new line would\n\
            leave Termez for Mazar-i-Sharif with its first load of goods for Kabul on September\n\
            14. The service will carry fuel, flour and building materials south and dried fruit north.\n";
        assert_eq!(texts(number).len(), 1, "{:?}", texts(number));
        assert!(texts(number)[0].starts_with("Uzbek and Afghan") && texts(number)[0].contains("September 14. The"));
        let hashtag = "Supporters of the jailed former prime minister flooded social media with the\n\
            #ReleaseImranKhan hashtag on Sunday, hours after a court in Islamabad adjourned his appeal.\n";
        assert_eq!(texts(hashtag).len(), 1);
        assert!(texts(hashtag)[0].contains("the #ReleaseImranKhan hashtag"));
        // Lists stay lists: after a colon, after a short line, and item after item.
        let list = "The agreement covers three areas:\n- grain and flour exports\n- transit fees on the new railway\n\
            - a joint customs post at the border crossing\n";
        assert_eq!(
            segment(list).len(),
            0,
            "items of a few words are no paragraphs, but none is joined to the line before"
        );
        let numbered = "The ministers who met in Astana on Tuesday agreed on three steps, according to the statement\n\
            1. Kazakhstan and Uzbekistan will double their trade in grain and flour by the end of 2026.\n\
            2. The two countries will cut transit fees on the new railway line by a third next year.\n\
            3. A joint customs post will open at the border crossing near Saryagash in the spring.\n";
        assert_eq!(texts(numbered).len(), 3, "{:?}", texts(numbered));
        assert!(texts(numbered)[0].starts_with("Kazakhstan and Uzbekistan"));
        let items = "Key points\n- Kazakhstan and Uzbekistan agreed to double their trade by the end of 2026.\n\
            - The two leaders also signed a treaty on the demarcation of their common border.\n";
        assert_eq!(texts(items).len(), 2);
    }

    #[test]
    fn markdown_footnote_references_and_a_headline_over_short_paragraphs() {
        let md =
            "Trade through the Wakhan corridor remains negligible, despite Chinese promises of a road link.[^1]\n\n\
            [^1]: Author's interviews in Kashgar, May 2023.\n";
        assert_eq!(
            texts(md),
            ["Trade through the Wakhan corridor remains negligible, despite Chinese promises of a road link.[^1]"]
        );
        let headed = "Iran, Pakistan to open border markets\nBy Our Correspondent\n\
            Pakistan and Iran agreed on Monday to open two more border markets in Balochistan.\n\
            The markets at Mand and Chedgi will allow residents to trade food and fuel without duties.\n\
            Officials said the first market would open before the end of the year.\n";
        assert_eq!(texts(headed).len(), 3, "{:?}", texts(headed));
    }

    #[test]
    fn a_news_agency_credit_after_the_last_sentence_keeps_the_paragraph() {
        all_kept(&[
            "Pakistan and Afghanistan reopened the Torkham crossing on Tuesday after a week-long closure. (AFP)",
            "Pakistan and Afghanistan reopened the Torkham crossing on Tuesday after a week-long closure. — Reuters",
            "Pakistan and Afghanistan reopened the Torkham crossing on Tuesday after a week-long closure. - APP",
        ]);
        // Without a sentence end before it, a credit does not make a headline a paragraph.
        all_dropped(&["Pakistan and Afghanistan reopen the Torkham crossing after a week-long closure (AFP)"]);
    }

    #[test]
    fn an_html_list_is_html_and_a_pretty_printed_item_one_paragraph() {
        let item = "Trade between Pakistan and the Central Asian states will rise to $5 billion by 2027 under \
            the new transit agreement, officials said.";
        assert_eq!(texts(&format!("<li>{item}</li>\n")), [item]);
        let pretty = "<ul>\n  <li>Trade between Pakistan and the Central Asian states will rise to\n      \
            $5 billion by 2027 under the new transit agreement, officials said.</li>\n</ul>\n";
        assert_eq!(texts(pretty), [item]);
        // The same layout in plain text: an indent after a long line that ends no
        // sentence is inside the sentence; after a sentence end it starts a paragraph.
        let plain = "Trade between Pakistan and the Central Asian states will rise to\n      \
            $5 billion by 2027 under the new transit agreement, officials said.\n";
        assert_eq!(texts(plain), [item]);
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        let text = "Kazakhstan and Uzbekistan signed a new trade agreement on grain exports in Tashkent.\r\r\
            Militants attacked a border post in the night and killed three guards, officials said.\r";
        let found = segment(text);
        assert_eq!(found.iter().map(|p| p.line).collect::<Vec<_>>(), [1, 3]);
    }
}
