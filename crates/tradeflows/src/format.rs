//! How the outputs write numbers and text: euros in millions, percentages, the one escaper
//! of the HTML and SVG outputs. Every output (JSON aside) formats through here.

/// Groups the digits of a non-negative integer by three with a space: `1 400`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Euros as millions with one decimal, thousands separated by a space, as the factsheet
/// writes them: `1400300000` → `1 400.3`. Rounded half away from zero, in integers.
///
/// ```
/// use tradeflows::format::millions;
/// assert_eq!(millions(1_400_300_000), "1 400.3");
/// assert_eq!(millions(684_776_349_999), "684 776.3");
/// assert_eq!(millions(50_000), "0.1");
/// assert_eq!(millions(-2_345_678_901), "-2 345.7");
/// ```
pub fn millions(eur: i64) -> String {
    let tenths = (eur.unsigned_abs() + 50_000) / 100_000;
    let sign = if eur < 0 && tenths > 0 { "-" } else { "" };
    format!("{sign}{}.{}", group(tenths / 10), tenths % 10)
}

/// A share as a percentage with `decimals` decimals: `0.114` → `11.4%`.
///
/// ```
/// use tradeflows::format::percent;
/// assert_eq!(percent(0.11404, 1), "11.4%");
/// assert_eq!(percent(0.0024, 2), "0.24%");
/// ```
pub fn percent(share: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, share * 100.0)
}

/// Escapes text for HTML and SVG, in content and in double-quoted attribute values: `&`,
/// `<`, `>` and `"`. Apostrophes stay as they are, so a page's source reads as its text
/// (`millions d'euros`); the outputs quote every attribute with `"`.
///
/// Written here rather than taken from quick-xml, whose escapers escape either `'` too or
/// not `"`: neither fits both uses.
///
/// ```
/// use tradeflows::format::escape;
/// assert_eq!(escape(r#"Côtes-d'Armor <"A" & B>"#), "Côtes-d'Armor &lt;&quot;A&quot; &amp; B&gt;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1 000");
        assert_eq!(group(6_847_763), "6 847 763");
        assert_eq!(millions(0), "0.0");
        assert_eq!(millions(49_999), "0.0");
        assert_eq!(millions(-49_999), "0.0");
    }
}
