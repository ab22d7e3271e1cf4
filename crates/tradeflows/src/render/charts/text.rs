//! Text widths for layout: what fits where (numbers are formatted by [`crate::format`]).
//!
//! Widths use Helvetica's advance widths (the AFM metrics, which Arial and Liberation Sans
//! share) with a safety margin for wider fallback fonts (DejaVu Sans): the charts never
//! need exact metrics, only a width that is never smaller than the rendered one, so a small
//! table beats embedding a font and a shaping crate.

/// Advance widths of ASCII 32..=126 in Helvetica, per 1000 units of em.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0..9
    278, 278, 584, 584, 584, 556, 1015, // ':'..'@'
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
    611, 722, 667, 944, 667, 667, 611, // A..Z
    278, 278, 278, 469, 556, 333, // '['..'`'
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
    278, 556, 500, 722, 500, 500, 500, // a..z
    334, 260, 334, 584, // '{'..'~'
];

/// Margin over Helvetica for fallback fonts (DejaVu Sans is about 10 % wider).
const SAFETY: f64 = 1.12;

fn advance(c: char) -> u16 {
    let base = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ÿ' => 'y',
        'À' | 'Â' | 'Ä' => 'A',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'Î' | 'Ï' => 'I',
        'Ô' | 'Ö' => 'O',
        'Ù' | 'Û' | 'Ü' => 'U',
        'Ç' => 'C',
        '’' | '‘' => return 222,
        '\u{a0}' | '\u{202f}' => ' ',
        '€' => return 556,
        'œ' => return 944,
        'Œ' => return 1000,
        '–' => return 556,
        '—' => return 1000,
        '…' => return 1000,
        '«' | '»' => return 556,
        c => c,
    };
    let i = base as u32;
    if (32..=126).contains(&i) {
        HELVETICA[(i - 32) as usize]
    } else {
        667
    }
}

/// The width of `s` in pixels at `size` px, never less than its rendered width.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let em: u32 = s.chars().map(|c| u32::from(advance(c))).sum();
    f64::from(em) / 1000.0 * size * SAFETY * if bold { 1.08 } else { 1.0 }
}

/// `s` cut to fit `max` pixels, with an ellipsis if cut; `None` if not even "…" fits.
pub fn fit(s: &str, size: f64, bold: bool, max: f64) -> Option<String> {
    if width(s, size, bold) <= max {
        return Some(s.to_owned());
    }
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if width(&out, size, bold) + width("…", size, bold) > max {
            out.pop();
            break;
        }
    }
    let out = out.trim_end().trim_end_matches([',', ';', ':']).to_owned();
    if out.is_empty() {
        return None;
    }
    Some(out + "…")
}

/// Splits `s` into lines of at most `max` pixels, at spaces; a word too long is cut.
pub fn wrap(s: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max {
            line = candidate;
        } else {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = fit(word, size, bold, max).unwrap_or_default();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_fitting() {
        assert!(width("Allemagne", 12.0, false) > width("Italie", 12.0, false));
        let long = "Produits de la construction aéronautique et spatiale";
        let cut = fit(long, 11.0, false, 120.0).unwrap();
        assert!(cut.ends_with('…') && width(&cut, 11.0, false) <= 120.0);
        assert_eq!(fit("DE", 11.0, false, 100.0).unwrap(), "DE");
        assert_eq!(fit("Allemagne", 11.0, false, 2.0), None);
        let lines = wrap(long, 11.0, false, 120.0);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| width(l, 11.0, false) <= 120.0));
    }
}
