//! How the outputs write numbers and text: euros in millions, percentages, the one escaper
//! of the HTML and SVG outputs, and the layout of the JSON outputs (whose numbers and
//! strings serde_json writes). Every output formats through here.

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

/// `value` as JSON in serde_json's pretty layout (what `serde_json::to_string_pretty`
/// writes, two spaces an indent), byte for byte: each line's start (its comma, line end
/// and indent) is written at once, where serde_json's own formatter writes the indent a
/// level at a time, and the text goes to a buffer sized for a factsheet (46 KB at most on
/// the reference run) rather than one that grows from 128 bytes.
pub(crate) fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    String::from_utf8(pretty_json_bytes(value)?).map_err(serde::ser::Error::custom)
}

/// [`pretty_json`]'s bytes, for a file: not read again to check they are UTF-8 (serde_json
/// writes UTF-8 only; a `String` would need the check, or `unsafe`).
pub(crate) fn pretty_json_bytes<T: serde::Serialize + ?Sized>(
    value: &T,
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(64 << 10);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out,
        Pretty::default(),
    ))?;
    Ok(out)
}

/// serde_json's `PrettyFormatter` with its default indent, writing a line's start at once.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A comma, a line end and spaces: a line's start at a depth up to 32 is a slice of it.
const LINE_STARTS: &[u8; 66] =
    b",\n                                                                ";

impl Pretty {
    /// A line at the current depth: after a comma unless it is the first of its list.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        let from = usize::from(first);
        match LINE_STARTS.get(from..2 + 2 * self.depth) {
            Some(start) => w.write_all(start),
            None => {
                w.write_all(&LINE_STARTS[from..2])?;
                (0..self.depth).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// The start of an array or an object: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// The end of an array or an object: on a line of its own unless it is empty.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    /// Any JSON value: scalars, strings with what needs escaping, and nested arrays and
    /// objects (empty ones too), deeper than the buffer of line starts at times.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-zé\"\\\n ]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(40, 200, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z]{0,3}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn pretty_json_is_serde_jsons_layout() {
        use serde_json::json;
        let mut deep = json!([]);
        for i in 0..40 {
            deep = json!({ format!("k{i}"): [deep, i] });
        }
        for v in [
            json!(null),
            json!([]),
            json!({}),
            json!({"a": [], "b": {}}),
            deep,
        ] {
            assert_eq!(
                pretty_json(&v).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
    }

    proptest! {
        /// The factsheets' JSON writer gives serde_json's pretty text, byte for byte.
        #[test]
        fn pretty_json_agrees_with_serde_json(v in json_value()) {
            prop_assert_eq!(pretty_json(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap());
        }
    }
}
