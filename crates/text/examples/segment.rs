//! Prints the paragraphs the segmenter finds in each file given, for checking rules by eye.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
        for (i, p) in classify_text::segment(&text).iter().enumerate() {
            println!("{path}\t{}\t{}\t{}", i + 1, p.line, p.text);
        }
    }
}
