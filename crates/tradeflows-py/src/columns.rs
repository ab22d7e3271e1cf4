//! The rows of the files as Arrow arrays, built column by column without per-row Python
//! work: codes dictionary-encoded (each distinct code's text once, one small integer per
//! row), numbers as primitive arrays.

use std::hash::Hash;
use std::sync::Arc;

use arrow_array::types::{ArrowDictionaryKeyType, Int16Type, Int32Type};
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, Int64Array, PrimitiveArray, StringArray};
use rustc_hash::FxHashMap;
use tradeflows::read::national::NationalRow;
use tradeflows::read::regional::RegionalColumns;

/// A named column and whether it may hold nulls.
pub(crate) type NamedArray = (&'static str, ArrayRef, bool);

/// Dictionary-encodes `values`: the dictionary holds the distinct texts sorted, each row a
/// key into it (null where `text` gives `None`). Keys are 16-bit when the dictionary fits
/// (every code list of the files does), else 32-bit.
///
/// Rows come in runs of the same code (DGDDI sorts its files), so the previous row's key is
/// tried before the hash map.
pub(crate) fn dictionary<T, I, F>(values: I, text: F) -> ArrayRef
where
    T: Copy + Eq + Hash,
    I: Iterator<Item = T> + Clone,
    F: Fn(T) -> Option<String>,
{
    // Pass 1: the distinct values, each with a provisional id in order of appearance.
    let mut ids: FxHashMap<T, u32> = FxHashMap::default();
    let mut distinct: Vec<T> = Vec::new();
    let mut last: Option<(T, u32)> = None;
    let provisional: Vec<u32> = values
        .map(|v| match last {
            Some((l, id)) if l == v => id,
            _ => {
                let id = *ids.entry(v).or_insert_with(|| {
                    distinct.push(v);
                    (distinct.len() - 1) as u32
                });
                last = Some((v, id));
                id
            }
        })
        .collect();
    // The texts, distinct and sorted; each provisional id mapped to its text's place.
    let texts: Vec<Option<String>> = distinct.iter().map(|&v| text(v)).collect();
    let mut sorted: Vec<&str> = texts.iter().flatten().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let final_key: Vec<Option<u32>> = texts
        .iter()
        .map(|t| {
            t.as_deref()
                .and_then(|t| sorted.binary_search(&t).ok())
                .map(|k| k as u32)
        })
        .collect();
    let dict = Arc::new(StringArray::from(sorted.clone()));
    let keys = provisional.iter().map(|&p| final_key[p as usize]);
    if sorted.len() <= i16::MAX as usize {
        encode::<Int16Type>(keys.map(|k| k.map(|k| k as i16)), dict)
    } else {
        encode::<Int32Type>(keys.map(|k| k.map(|k| k as i32)), dict)
    }
}

fn encode<K: ArrowDictionaryKeyType>(
    keys: impl Iterator<Item = Option<K::Native>>,
    dict: Arc<StringArray>,
) -> ArrayRef {
    let keys: PrimitiveArray<K> = keys.collect();
    // Every key was found in `dict` by construction, so the only error (a key out of range)
    // cannot occur; `new` checks that too.
    Arc::new(DictionaryArray::<K>::new(keys, dict))
}

fn ints<T: Copy + Into<i32>>(v: &[T]) -> ArrayRef {
    Arc::new(v.iter().map(|&x| x.into()).collect::<Int32Array>())
}

fn int64(v: impl Iterator<Item = i64>) -> ArrayRef {
    Arc::new(v.collect::<Int64Array>())
}

/// The regional rows: flow, year, quarter, departement, region, a129, cpf4, country,
/// value_eur, mass_kg.
pub(crate) fn regional(c: RegionalColumns<'_>) -> Vec<NamedArray> {
    let code = |s: &str| Some(s.to_owned());
    vec![
        (
            "flow",
            dictionary(c.flow.iter().copied(), |f| Some(f.to_string())),
            false,
        ),
        ("year", ints(c.year), false),
        ("quarter", ints(c.quarter), false),
        (
            "departement",
            dictionary(c.place.iter().copied(), |p| code(p.code())),
            false,
        ),
        (
            "region",
            dictionary(c.place.iter().copied(), |p| {
                p.region().map(|r| r.code().to_owned())
            }),
            true,
        ),
        (
            "a129",
            dictionary(c.a129.iter().copied(), |a| Some(a.to_string())),
            false,
        ),
        (
            "cpf4",
            dictionary(c.cpf4.iter().copied(), |a| Some(a.to_string())),
            false,
        ),
        (
            "country",
            dictionary(c.country.iter().copied(), |a| Some(a.to_string())),
            false,
        ),
        ("value_eur", int64(c.value.iter().copied()), false),
        ("mass_kg", int64(c.mass.iter().copied()), false),
    ]
}

/// The national rows: flow, year, month, cpf6, a129, nc8, country, value_eur, mass_kg, usup.
pub(crate) fn national(rows: &[NationalRow]) -> Vec<NamedArray> {
    let col = |f: fn(&NationalRow) -> i32| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<Int32Array>())
    };
    vec![
        (
            "flow",
            dictionary(rows.iter().map(|r| r.flow), |f| Some(f.to_string())),
            false,
        ),
        ("year", col(|r| i32::from(r.year)), false),
        ("month", col(|r| i32::from(r.month)), false),
        (
            "cpf6",
            dictionary(rows.iter().map(|r| r.cpf6), |c| c.map(|c| c.to_string())),
            true,
        ),
        (
            "a129",
            dictionary(rows.iter().map(|r| r.a129), |c| c.map(|c| c.to_string())),
            true,
        ),
        (
            "nc8",
            dictionary(rows.iter().map(|r| r.nc8), |c| Some(c.to_string())),
            false,
        ),
        (
            "country",
            dictionary(rows.iter().map(|r| r.country), |c| Some(c.to_string())),
            false,
        ),
        ("value_eur", int64(rows.iter().map(|r| r.value)), false),
        ("mass_kg", int64(rows.iter().map(|r| r.mass)), false),
        ("usup", int64(rows.iter().map(|r| r.usup)), false),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    #[test]
    fn dictionary_keeps_every_row_and_sorts_distinct_texts() {
        let values = [3u8, 3, 1, 2, 1, 0, 3];
        let array = dictionary(values.iter().copied(), |v| {
            (v != 0).then(|| format!("c{}", 4 - v))
        });
        let dict = array.as_dictionary::<Int16Type>();
        assert_eq!(dict.len(), 7);
        assert_eq!(dict.null_count(), 1);
        let texts: Vec<Option<&str>> = dict
            .downcast_dict::<StringArray>()
            .map(|d| d.into_iter().collect())
            .unwrap_or_default();
        assert_eq!(
            texts,
            [
                Some("c1"),
                Some("c1"),
                Some("c3"),
                Some("c2"),
                Some("c3"),
                None,
                Some("c1")
            ]
        );
        assert_eq!(
            dict.values().as_string::<i32>().iter().collect::<Vec<_>>(),
            [Some("c1"), Some("c2"), Some("c3")]
        );
    }

    #[test]
    fn values_sharing_a_text_share_a_key() {
        let array = dictionary([1u8, 2, 3].into_iter(), |v| Some((v % 2).to_string()));
        let dict = array.as_dictionary::<Int16Type>();
        assert_eq!(dict.values().len(), 2);
        assert_eq!(dict.keys().values().to_vec(), [1, 0, 1]);
    }

    #[test]
    fn many_texts_take_32_bit_keys() {
        let array = dictionary(0..40_000u32, |v| Some(format!("{v:05}")));
        let dict = array.as_dictionary::<Int32Type>();
        assert_eq!(dict.values().len(), 40_000);
        assert_eq!(dict.keys().value(39_999), 39_999);
    }
}
